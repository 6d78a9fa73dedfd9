import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What `/healthz` reports: no personal data, only the state of the parts. */
export interface Health {
  status: "ok" | "unhealthy";
  database: "ok" | "unreachable";
  adapters: Record<string, "connected" | "disconnected">;
}

export interface HealthSource {
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  pingDatabase(): Promise<void>;
  /** Each platform adapter and whether it is connected now. */
  adapters(): Record<string, boolean>;
}

/** How long the database may take to answer before the bot counts as unhealthy. */
const defaultDatabaseTimeoutMs = 3_000;

export async function health(source: HealthSource, databaseTimeoutMs = defaultDatabaseTimeoutMs): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), databaseTimeoutMs);
  });
  const database = await Promise.race([source.pingDatabase(), timeout]).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
  clearTimeout(timer);
  const adapters = Object.fromEntries(
    Object.entries(source.adapters()).map(([name, up]) => [name, up ? ("connected" as const) : ("disconnected" as const)]),
  );
  const healthy = database === "ok" && Object.values(adapters).every((state) => state === "connected");
  return { status: healthy ? "ok" : "unhealthy", database, adapters };
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /healthz` on 127.0.0.1 for supervisors (systemd, monit, a container runtime):
 * 200 when the database answers and every platform is connected, 503 otherwise, with a
 * small JSON body. Only loopback: nothing here is meant for the network.
 */
export async function startHealthServer(
  port: number,
  source: HealthSource,
  options: { host?: string; databaseTimeoutMs?: number } = {},
): Promise<HealthServer> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "content-type": "application/json", allow: "GET, HEAD" }).end('{"error":"method not allowed"}');
      return;
    }
    void health(source, options.databaseTimeoutMs).then((report) => {
      const body = JSON.stringify(report);
      res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`the health check cannot listen on ${host}:${port} (${error.code ?? error.message}): choose another HEALTH_PORT`)),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
