#!/usr/bin/env bash
# Builds (once) a Debian unstable chroot with Synapse for the real-Synapse suite and writes
# a homeserver config for loopback. Needs root and Debian's archive. The chroot is cached
# outside the repository, so the second run takes seconds.
#   test/synapse/chroot.sh ROOT PORT
set -euo pipefail
root="${1:?chroot directory}"
port="${2:?port}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
apt_opts=(-o Acquire::Check-Valid-Until=false -o Dpkg::Use-Pty=0)

if [ ! -x "$root/usr/bin/python3" ] || ! chroot "$root" python3 -c 'import synapse' 2>/dev/null; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  rm -rf "$root.partial"
  mkdir -p "$(dirname "$root")"
  echo "synapse: building the chroot (Debian unstable, a few minutes)"
  debootstrap --variant=minbase sid "$root.partial" "$mirror" >/dev/null
  printf '#!/bin/sh\nexit 101\n' > "$root.partial/usr/sbin/policy-rc.d"
  chmod +x "$root.partial/usr/sbin/policy-rc.d"
  chroot "$root.partial" apt-get "${apt_opts[@]}" -qq update
  DEBIAN_FRONTEND=noninteractive chroot "$root.partial" apt-get "${apt_opts[@]}" install -y -qq \
    --no-install-recommends matrix-synapse python3-yaml >/dev/null
  rm -rf "$root"
  mv "$root.partial" "$root"
fi

# A fresh config and database on every run: tests start from an empty homeserver.
rm -rf "$root/srv/synapse"
mkdir -p "$root/srv/synapse"
chroot "$root" sh -c "cd /srv/synapse && python3 -m synapse.app.homeserver --server-name localhost \
  --config-path homeserver.yaml --generate-config --report-stats=no >/dev/null"
chroot "$root" python3 - "$port" <<'PY'
import sys, yaml
port = int(sys.argv[1])
path = "/srv/synapse/homeserver.yaml"
with open(path) as f:
    c = yaml.safe_load(f)
c["listeners"] = [{"port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                   "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}]
c["trusted_key_servers"] = []
c["federation_domain_whitelist"] = []
c["url_preview_enabled"] = False
c["report_stats"] = False
c["suppress_key_server_warning"] = True
c["log_config"] = None
c.pop("log_config")
c["database"] = {"name": "sqlite3", "args": {"database": "/srv/synapse/homeserver.db"}}
c["media_store_path"] = "/srv/synapse/media"
c["signing_key_path"] = "/srv/synapse/localhost.signing.key"
c["pid_file"] = "/srv/synapse/homeserver.pid"
big = {"per_second": 1000, "burst_count": 10000}
for key in ["rc_message", "rc_registration", "rc_joins_per_room", "rc_room_creation", "rc_media_create",
            "rc_admin_redaction", "rc_3pid_validation", "rc_invites_per_issuer", "rc_key_requests"]:
    c[key] = big
c["rc_login"] = {k: big for k in ["address", "account", "failed_attempts"]}
c["rc_joins"] = {k: big for k in ["local", "remote"]}
c["rc_invites"] = {k: big for k in ["per_room", "per_user", "per_issuer"]}
with open(path, "w") as f:
    yaml.safe_dump(c, f)
PY
chroot "$root" python3 -c 'import synapse; print("synapse: Synapse " + synapse.__version__)'
