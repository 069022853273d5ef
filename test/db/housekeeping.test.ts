import { sql } from "kysely";
import { expect, it } from "vitest";
import { deleteExpired, insertLoginAttempt, insertOneTimeToken, insertSession } from "../../src/accounts/repository.js";
import { outsideAssociation } from "../../src/platform/db/scope.js";
import { describeEachDatabase } from "../support/database.js";
import { buildUser } from "../support/factories.js";

describeEachDatabase("housekeeping", (database) => {
  it("removes expired sessions, spent and expired links and day-old login attempts, and nothing else", async () => {
    const { db } = database();
    const user = await buildUser(db);
    const hour = 60 * 60 * 1000;
    const now = Date.now();
    await outsideAssociation(db, async (tx) => {
      await insertSession(tx, {
        id: `live-${user.id}`,
        userId: user.id,
        csrfToken: "c",
        expiresAt: new Date(now + hour),
      });
      await insertSession(tx, {
        id: `dead-${user.id}`,
        userId: user.id,
        csrfToken: "c",
        expiresAt: new Date(now - hour),
      });
      await insertOneTimeToken(tx, {
        id: `open-${user.id}`,
        userId: user.id,
        purpose: "invitation",
        expiresAt: new Date(now + hour),
      });
      await insertOneTimeToken(tx, {
        id: `late-${user.id}`,
        userId: user.id,
        purpose: "invitation",
        expiresAt: new Date(now - hour),
      });
      await insertLoginAttempt(tx, { email: user.email, ip: "192.0.2.1", succeeded: false });
    });
    await sql`update login_attempt set attempted_at = now() - interval '2 days' where email = ${user.email}`.execute(
      db,
    );
    await outsideAssociation(db, (tx) =>
      insertLoginAttempt(tx, { email: user.email, ip: "192.0.2.1", succeeded: false }),
    );

    const removed = await outsideAssociation(db, (tx) => deleteExpired(tx));
    expect(removed).toMatchObject({ sessions: 1, links: 1, loginAttempts: 1 });
    const sessions = await db.selectFrom("session").select("id").where("user_id", "=", user.id).execute();
    expect(sessions.map((row) => row.id)).toEqual([`live-${user.id}`]);
    const links = await db.selectFrom("one_time_token").select("id").where("user_id", "=", user.id).execute();
    expect(links.map((row) => row.id)).toEqual([`open-${user.id}`]);
    const attempts = await db.selectFrom("login_attempt").select("id").where("email", "=", user.email).execute();
    expect(attempts).toHaveLength(1);
  });
});
