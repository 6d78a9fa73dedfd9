import { readFileSync } from "node:fs";
import path from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { describe, expect, it } from "vitest";
import { databaseKind, notSqliteAdvice } from "../../src/ops/backup.ts";
import { fail, formatChecks, hasProblems, ok, summarize, unknown, warn } from "../../src/ops/checks.ts";
import { channelPermissions, inviteUrl, requiredPermissions } from "../../src/ops/doctor-discord.ts";
import { checkConfig, checkDisk, checkRuntime } from "../../src/ops/doctor-local.ts";
import { loadConfig } from "../../src/config.ts";
import { newerDatabaseMessage, unknownMigrations } from "../../src/ops/upgrade.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("the doctor's report", () => {
  it("prints one aligned line per check and a summary; only problems fail", () => {
    const checks = [ok("database", "reachable"), warn("disk", "getting low"), unknown("matrix encryption", "not checked")];
    expect(formatChecks(checks).split("\n")).toEqual([
      "ok       database           reachable",
      "WARNING  disk               getting low",
      "UNKNOWN  matrix encryption  not checked",
    ]);
    expect(summarize(checks)).toBe("1 ok, 1 warning, 1 unknown, 0 problems");
    expect(hasProblems(checks)).toBe(false);
    const worse = [...checks, fail("discord token", "refused"), fail("permissions", "open")];
    expect(summarize(worse)).toBe("1 ok, 1 warning, 1 unknown, 2 problems");
    expect(hasProblems(worse)).toBe(true);
  });

  it("knows which Node versions have what the bot needs", () => {
    expect(checkRuntime("24.21.0").status).toBe("ok");
    expect(checkRuntime("22.16.0").status).toBe("ok");
    expect(checkRuntime("22.12.0")).toMatchObject({ status: "fail", text: expect.stringContaining("use 22.16 or newer") });
    expect(checkRuntime("20.20.2").status).toBe("fail");
  });

  it("describes the configuration without secrets", () => {
    const config = loadConfig({ DISCORD_TOKEN: "secret-value", DISCORD_APPLICATION_ID: "123456", HEALTH_PORT: "8099" });
    const check = checkConfig(config, "/var/lib/teambot/teambot.db");
    expect(check).toEqual(ok("configuration", "valid: Discord, SQLite file /var/lib/teambot/teambot.db, health check on 127.0.0.1:8099"));
    expect(JSON.stringify(check)).not.toContain("secret-value");
    expect(checkConfig(loadConfig({}), "x.db").status).toBe("warn");
  });

  it("wants room for the database to grow and for a backup", () => {
    expect(checkDisk("/", 0).status).not.toBe("fail");
    expect(checkDisk("/", Number.MAX_SAFE_INTEGER / 4)).toMatchObject({ status: "fail", text: expect.stringContaining("free some space") });
    expect(checkDisk("/no/such/folder", 0).status).toBe("warn");
  });
});

describe("Discord permissions", () => {
  it("asks for exactly what the README's invite link grants", () => {
    expect(requiredPermissions).toBe(563224831446016n);
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(readme).toContain(`permissions=${requiredPermissions}`);
    expect(inviteUrl("42")).toBe(`https://discord.com/oauth2/authorize?client_id=42&scope=bot%20applications.commands&permissions=${requiredPermissions}`);
  });

  it("applies channel overwrites in Discord's order: @everyone, roles, then the member", () => {
    const ids = { guild: "1", bot: "9", roles: ["5", "6"] };
    const base = requiredPermissions;
    const { SendPolls, EmbedLinks, ViewChannel, Administrator } = PermissionFlagsBits;
    const everyoneDeniesPolls = { id: "1", type: 0, allow: "0", deny: String(SendPolls) };
    expect(channelPermissions(base, [everyoneDeniesPolls], ids) & SendPolls).toBe(0n);
    // A role of the bot allows it again; a role it does not have does not.
    const roleAllows = { id: "6", type: 0, allow: String(SendPolls), deny: "0" };
    const otherRole = { id: "7", type: 0, allow: String(SendPolls), deny: "0" };
    expect(channelPermissions(base, [everyoneDeniesPolls, otherRole], ids) & SendPolls).toBe(0n);
    expect(channelPermissions(base, [everyoneDeniesPolls, roleAllows], ids) & SendPolls).toBe(SendPolls);
    // Allow wins over deny among the roles; the member's own overwrite comes last.
    const roleDeniesEmbeds = { id: "5", type: 0, allow: "0", deny: String(EmbedLinks) };
    const roleAllowsEmbeds = { id: "6", type: 0, allow: String(EmbedLinks), deny: "0" };
    expect(channelPermissions(base, [roleDeniesEmbeds, roleAllowsEmbeds], ids) & EmbedLinks).toBe(EmbedLinks);
    const memberHidden = { id: "9", type: 1, allow: "0", deny: String(ViewChannel) };
    expect(channelPermissions(base, [roleAllows, memberHidden], ids) & ViewChannel).toBe(0n);
    // Administrators may do everything, whatever the overwrites.
    expect(channelPermissions(Administrator, [memberHidden], ids) & requiredPermissions).toBe(requiredPermissions);
  });
});

describe("upgrades and backups", () => {
  it("finds migrations the code does not know, and says what to do", () => {
    expect(unknownMigrations(["001_a", "002_b"], ["001_a", "002_b", "003_c"])).toEqual([]);
    expect(unknownMigrations(["001_a", "004_d", "003_x"], ["001_a", "002_b"])).toEqual(["003_x", "004_d"]);
    const message = newerDatabaseMessage(["004_d"]);
    expect(message).toMatch(/newer than this version of Teambot: it records migration 004_d, which this version does not know/);
    expect(message).toMatch(/Install the newer version again, or restore the backup made before that upgrade/);
  });

  it("backs up SQLite files only and names pg_dump for PostgreSQL", () => {
    expect(databaseKind("file:./data/teambot.db")).toBe("sqlite");
    expect(databaseKind("postgresql://teambot@localhost/teambot")).toBe("postgresql");
    expect(databaseKind("postgres://x@y/z")).toBe("postgresql");
    expect(databaseKind("libsql://db.example.org")).toBe("remote");
    expect(notSqliteAdvice("postgresql")).toMatch(/pg_dump --format=custom/);
  });
});
