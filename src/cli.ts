import { parseArgs } from "node:util";
import { createApiTokenForCli } from "./accounts/create-api-token.js";
import { findRole, findUserByEmail, insertUser, upsertRole } from "./accounts/repository.js";
import { findAssociationBySlug } from "./associations/repository.js";
import { ConfigError, loadConfig } from "./config.js";
import { loadDemo, printDemoLogins } from "./demo/demo.js";
import { nationalScale, quickScale, synthesize } from "./demo/synth.js";
import { anonymiseExpired } from "./participants/retention.js";
import { rotateKeys } from "./participants/rotate-keys.js";
import { hashPassword, PASSWORD_MIN_LENGTH } from "./platform/auth/password.js";
import { roles } from "./platform/auth/policy.js";
import { newSecret } from "./platform/auth/secrets.js";
import { verifyKeyring } from "./platform/crypto/key-check.js";
import { generateKeyLine, KeyringError, loadKeyring } from "./platform/crypto/keyring.js";
import { backupDatabase, readBackup, restoreDatabase } from "./platform/db/backup.js";
import { openDatabase } from "./platform/db/database.js";
import { discoverMigrations, migrate } from "./platform/db/migrate.js";
import type { Role } from "./platform/db/schema.js";
import { enterAssociation, inAssociation, outsideAssociation } from "./platform/db/scope.js";
import { createLogger } from "./platform/logger.js";
import { formatDate } from "./platform/ui/format.js";
import { startServer } from "./server.js";

const usage = `Samordna – plattform för samordningsförbund

Usage: samordna <command> [options]

  serve [--demo]                      Run the web server (--demo: load the demo association, never in production)
  migrate                             Apply pending database migrations
  demo                                Load the fictional demo association and print its logins
  user:create --email E --name N [--password P] [--superadmin] [--association SLUG --role ROLE]
  token:create --email E --association SLUG [--scope read|write] [--name N] [--days 90]
  backup FILE                         Write a consistent SQL dump of all data to FILE
  restore FILE                        Restore a dump into an empty database
  synth --associations N [--seed S]   Fill the database with deterministic synthetic data (benchmarks): per
                                      association five years of insatser (4 a year), requisitions, history and
                                      625 deltagare
  synth --national [--seed S]         The national scale: 80 associations, each with ten years of 40 insatser a year,
                                      and 1 000 000 deltagare in all
  keys:generate [--id ID]             Print a new encryption key line "id:base64" for SAMORDNA_ENCRYPTION_KEYS or the key file
  keys:rotate                         Re-encrypt all identities with the first (active) key and retire the other keys
  participants:anonymise [--today ÅÅÅÅ-MM-DD]
                                      Remove identities whose retention time has passed (the server does this daily)

The database is the embedded one in ./data (SAMORDNA_DATA_DIR) unless DATABASE_URL is set.`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    // Needs neither configuration nor database: it makes the key a new installation is configured with.
    if (command === "keys:generate") {
      const { values } = parseArgs({ args: rest, options: { id: { type: "string" } } });
      process.stdout.write(`${generateKeyLine(values.id)}\n`);
      return;
    }
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    if (command === "serve") {
      const { values } = parseArgs({ args: rest, options: { demo: { type: "boolean", default: false } } });
      const server = await startServer(config, logger, { demo: values.demo });
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
          logger.info({ signal }, "shutting down");
          server.close().then(
            () => process.exit(0),
            (error) => {
              logger.error({ err: error }, "shutdown failed");
              process.exit(1);
            },
          );
        });
      }
      return;
    }
    const database = await openDatabase(config.database);
    try {
      // A restore migrates only as far as its backup, and the rest after it (see the restore command).
      if (command !== "restore") await migrate(database.db);
      await runCommand(command, rest, database.db, config);
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof KeyringError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

async function runCommand(
  command: string | undefined,
  args: string[],
  db: Awaited<ReturnType<typeof openDatabase>>["db"],
  config: ReturnType<typeof loadConfig>,
) {
  switch (command) {
    case "migrate":
      process.stdout.write("Migrations are up to date.\n");
      return;
    case "demo": {
      const keyring = loadKeyring(config.encryptionKeys);
      await verifyKeyring(db, keyring);
      printDemoLogins(
        config.publicUrl,
        await loadDemo(db, { env: config.env, password: config.demoPassword, keyring }),
      );
      return;
    }
    case "user:create": {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: "string" },
          name: { type: "string" },
          password: { type: "string" },
          superadmin: { type: "boolean", default: false },
          association: { type: "string" },
          role: { type: "string" },
        },
      });
      const email = required(values, "email").toLowerCase();
      const name = required(values, "name");
      const password = values.password ?? newSecret();
      if (password.length < PASSWORD_MIN_LENGTH)
        throw new UsageError(`The password needs at least ${PASSWORD_MIN_LENGTH} characters`);
      if (values.association && !roles.includes(values.role as Role)) {
        throw new UsageError(`--role must be one of ${roles.join(", ")}`);
      }
      const passwordHash = await hashPassword(password);
      await outsideAssociation(db, async (tx) => {
        if (await findUserByEmail(tx, email)) throw new UsageError(`A user with e-mail ${email} already exists`);
        const user = await insertUser(tx, { email, name, passwordHash, isSuperadmin: values.superadmin });
        if (values.association) {
          const association = await findAssociationBySlug(tx, values.association);
          if (!association) throw new UsageError(`No association with slug ${values.association}`);
          await enterAssociation(tx, association.id);
          await upsertRole(tx, association.id, user.id, values.role as Role);
        }
      });
      process.stdout.write(`Created ${email}${values.password ? "" : ` with password ${password}`}\n`);
      return;
    }
    case "token:create": {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: "string" },
          association: { type: "string" },
          scope: { type: "string", default: "read" },
          name: { type: "string", default: "Skapad från kommandoraden" },
          days: { type: "string", default: "90" },
        },
      });
      const email = required(values, "email");
      const slug = required(values, "association");
      if (values.scope !== "read" && values.scope !== "write") throw new UsageError("--scope must be read or write");
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new UsageError("--days must be 1–365");
      const { user, association } = await outsideAssociation(db, async (tx) => ({
        user: await findUserByEmail(tx, email),
        association: await findAssociationBySlug(tx, slug),
      }));
      if (!user) throw new UsageError(`No user with e-mail ${email}`);
      if (!association) throw new UsageError(`No association with slug ${slug}`);
      const role = await inAssociation(db, association.id, (tx) => findRole(tx, association.id, user.id));
      if (!role) throw new UsageError(`${email} has no role in ${slug}`);
      const token = await createApiTokenForCli(db, {
        associationId: association.id,
        user,
        name: values.name ?? "",
        scope: values.scope,
        expiresInDays: days,
      });
      process.stdout.write(`${token.secret}\n`);
      return;
    }
    case "backup": {
      const file = args[0];
      if (!file) throw new UsageError("Usage: samordna backup FILE");
      const summary = await backupDatabase(db, file);
      process.stdout.write(`Wrote ${summary.rows} rows from ${summary.tables} tables to ${file}\n`);
      return;
    }
    case "restore": {
      const file = args[0];
      if (!file) throw new UsageError("Usage: samordna restore FILE");
      // An older backup is restored into the schema it was taken at, then migrated forward like any database.
      const known = discoverMigrations();
      const { migrations } = await readBackup(file);
      const unknown = migrations.filter((m) => !known.some((k) => k.name === m.name && k.checksum === m.checksum));
      if (unknown.length > 0) {
        throw new UsageError(
          `${file} needs migrations this version does not have: ${unknown.map((m) => m.name).join(", ")}`,
        );
      }
      await migrate(
        db,
        known.filter((k) => migrations.some((m) => m.name === k.name)),
      );
      const summary = await restoreDatabase(db, file);
      await migrate(db, known);
      process.stdout.write(`Restored ${summary.rows} rows into ${summary.tables} tables from ${file}\n`);
      return;
    }
    case "synth": {
      const { values } = parseArgs({
        args,
        options: {
          associations: { type: "string" },
          national: { type: "boolean", default: false },
          seed: { type: "string", default: "1" },
        },
      });
      if (values.national && values.associations !== undefined) {
        throw new UsageError("--national creates every association: leave out --associations");
      }
      const count = values.national ? nationalScale.associations : Number(values.associations ?? "1");
      if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError("--associations must be 1–1000");
      const scale = values.national ? nationalScale : quickScale;
      const keyring = loadKeyring(config.encryptionKeys);
      await verifyKeyring(db, keyring);
      const summary = await synthesize(db, { ...scale, associations: count, seed: Number(values.seed), keyring });
      process.stdout.write(`Created ${summary.associations} synthetic associations\n`);
      return;
    }
    case "keys:rotate": {
      const keyring = loadKeyring(config.encryptionKeys);
      await verifyKeyring(db, keyring);
      const summary = await rotateKeys(db, keyring);
      process.stdout.write(
        `Re-encrypted ${summary.identities} identities and ${summary.pseudonymKeys} pseudonym keys with "${keyring.activeId}". ` +
          `Retired keys: ${summary.retiredKeys.length > 0 ? summary.retiredKeys.join(", ") : "none"}.\n`,
      );
      return;
    }
    case "participants:anonymise": {
      const { values } = parseArgs({ args, options: { today: { type: "string" } } });
      const today = values.today ?? formatDate(new Date());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
        throw new UsageError("--today must be a date, ÅÅÅÅ-MM-DD");
      }
      const summary = await anonymiseExpired(db, today);
      process.stdout.write(`Anonymised ${summary.anonymised} participants in ${summary.associations} associations.\n`);
      return;
    }
    default:
      process.stdout.write(`${usage}\n`);
      if (command && command !== "help" && command !== "--help") throw new UsageError(`Unknown command: ${command}`);
  }
}
