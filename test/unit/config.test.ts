import { describe, expect, it } from "vitest";
import { adapterNames } from "../../src/app.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("has working defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe("file:./data/teambot.db");
    expect(config.DEFAULT_LANGUAGE).toBe("de");
    expect(config.DEFAULT_TIMEZONE).toBe("Europe/Berlin");
    expect(adapterNames(config)).toEqual(["console"]);
  });

  it("takes a SQLite file or a PostgreSQL URL as the database, nothing else", () => {
    for (const url of ["file:./data/x.db", "postgresql://bot:pw@db.example.org:5432/teambot?schema=city", "postgres://db/t"]) {
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
    for (const url of ["libsql://db.example.org", "mysql://db/t", "postgresql://", "./data/x.db"]) {
      expect(problems({ DATABASE_URL: url })[0]).toMatch(/^DATABASE_URL: must be a file: URL/);
    }
  });

  it("names every wrong variable on its own line", () => {
    const found = problems({
      DEFAULT_LANGUAGE: "fr",
      DEFAULT_TIMEZONE: "Mars/Olympus",
      MATRIX_COORDINATOR_POWER_LEVEL: "500",
    });
    expect(found).toHaveLength(3);
    expect(found.some((p) => p.startsWith("DEFAULT_LANGUAGE:"))).toBe(true);
    expect(found.some((p) => p.startsWith("DEFAULT_TIMEZONE:"))).toBe(true);
    expect(found.some((p) => p.startsWith("MATRIX_COORDINATOR_POWER_LEVEL:"))).toBe(true);
  });

  it("requires the partner of a half-configured platform and never echoes secrets", () => {
    const found = problems({
      DISCORD_TOKEN: "secret-token-value",
      MATRIX_HOMESERVER_URL: "https://matrix.example.org",
    });
    expect(found.some((p) => p.startsWith("DISCORD_APPLICATION_ID:"))).toBe(true);
    expect(found.some((p) => p.startsWith("MATRIX_ACCESS_TOKEN:"))).toBe(true);
    expect(found.join("\n")).not.toContain("secret-token-value");
  });

  it("starts the platforms that are configured, and the console only when asked", () => {
    const config = loadConfig({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456" });
    expect(adapterNames(config)).toEqual(["discord"]);
    expect(adapterNames(config, ["--console"])).toEqual(["console", "discord"]);
  });
});

describe(".env.example", () => {
  it("is a valid configuration as it stands, and documents every variable", async () => {
    const { readFileSync } = await import("node:fs");
    const { configSchema } = await import("../../src/config.ts");
    const text = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    const env = Object.fromEntries(
      text
        .split("\n")
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
    expect(Object.keys(env).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
