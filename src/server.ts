import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { deleteExpired } from "./accounts/repository.js";
import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { loadDemo, printDemoLogins } from "./demo/demo.js";
import { anonymiseExpired } from "./participants/retention.js";
import { verifyKeyring } from "./platform/crypto/key-check.js";
import { loadKeyring } from "./platform/crypto/keyring.js";
import { type Database, openDatabase } from "./platform/db/database.js";
import { migrate } from "./platform/db/migrate.js";
import { outsideAssociation } from "./platform/db/scope.js";
import { createMailer } from "./platform/mail/mailer.js";
import { formatDate } from "./platform/ui/format.js";

export type RunningServer = { url: string; database: Database; close(): Promise<void> };

const DRAIN_TIMEOUT_MS = 10_000;
const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/** Boot: configuration → database → migrations → (demo) → HTTP. close() drains requests, then closes the database. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: { demo?: boolean } = {},
): Promise<RunningServer> {
  if (config.database.kind === "pglite") {
    logger.warn(
      { dataDir: config.database.dataDir ?? "memory" },
      "embedded PGlite database: for development, demo and single-user use; set DATABASE_URL to PostgreSQL for production",
    );
  }
  const keyring = loadKeyring(config.encryptionKeys);
  const database = await openDatabase(config.database, (error) =>
    logger.warn({ err: error }, "an idle database connection was lost; the pool replaces it"),
  );
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    await verifyKeyring(database.db, keyring);
    if (options.demo) {
      const demo = await loadDemo(database.db, { env: config.env, password: config.demoPassword, keyring });
      printDemoLogins(config.publicUrl, demo);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const { app } = createApp({ config, database, mailer, logger, keyring });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(started as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url, database: database.kind }, "Samordna is listening");

  const housekeeping = setInterval(() => {
    clean().catch((error) => logger.error({ err: error }, "housekeeping failed"));
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();
  const clean = async () => {
    const removed = await outsideAssociation(database.db, (tx) => deleteExpired(tx));
    logger.info({ removed }, "expired sessions, links and login attempts removed");
    // Hourly rather than daily: anonymisation is idempotent, and a restarted server should not wait a day for it.
    const anonymised = await anonymiseExpired(database.db, formatDate(new Date()));
    logger.info(anonymised, "participants past their retention time anonymised");
  };
  await clean();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(housekeeping);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await database.close();
      logger.info("Samordna stopped");
    })();
    return closing;
  };
  return { url, database, close };
}
