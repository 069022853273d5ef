import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Database } from "../db/database.js";
import type { Association, Role } from "../db/schema.js";
import type { Tx } from "../db/scope.js";
import type { Mailer } from "../mail/mailer.js";

export type AppDeps = {
  config: Config;
  database: Database;
  mailer: Mailer;
  logger: Logger;
  /** Encrypts and decrypts participants' identities. */
  keyring: Keyring;
};

export type SignedInUser = { id: string; email: string; name: string; isSuperadmin: boolean };

export type Flash = { kind: "success" | "info" | "error"; text: string };

/** The association named by the URL and the user's role in it. */
export type Membership = { association: Association; role: Role };

export type AppVariables = {
  deps: AppDeps;
  requestId: string;
  log: Logger;
  user: SignedInUser | undefined;
  sessionId: string | undefined;
  /** The token every form posts back; bound to the session, or to a pre-login cookie before sign-in. */
  csrfToken: string;
  /** For a page under /f/{slug}: the user's membership there, found together with the session. */
  membership: Membership | undefined;
};

export type AppEnv = { Variables: AppVariables };

/** What a route inside /f/{slug}/… or /api/v1/associations/{slug}/… knows: the tenant, the role, the transaction. */
export type Tenant = {
  association: Association;
  role: Role;
  user: SignedInUser;
  tx: Tx;
  /** Work that must wait until the request's transaction has committed, such as sending e-mail. */
  afterCommit: (task: () => Promise<void>) => void;
  tokenScope: "read" | "write" | undefined;
};

export type TenantEnv = { Variables: AppVariables & { tenant: Tenant } };
