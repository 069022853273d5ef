import type { Database } from "../../src/platform/db/database.js";
import {
  buildApiToken,
  buildAssociation,
  buildMember,
  buildOrganisation,
  buildUser,
  TEST_PASSWORD,
} from "./factories.js";
import { buildTestApp, TestBrowser } from "./http.js";

/**
 * An association with an officer and two insatsägare (X, a member's unit, and Y, a non-member), each with its own
 * contact person: the cast of every insats test.
 */
export async function interventionScenario(database: Database) {
  const { db } = database;
  const association = await buildAssociation(db);
  const officer = await buildUser(db, { associationId: association.id, role: "officer" });
  const contactX = await buildUser(db, { associationId: association.id, role: "owner_contact" });
  const contactY = await buildUser(db, { associationId: association.id, role: "owner_contact" });
  const member = await buildMember(db, association.id, { name: "Exempelby kommun" });
  const ownerX = await buildOrganisation(db, association.id, {
    name: "Exempelby kommun, arbetsmarknadsenheten",
    memberId: member.id,
    contactUserId: contactX.id,
  });
  const ownerY = await buildOrganisation(db, association.id, {
    name: "Vårdcentralen Exempel",
    contactUserId: contactY.id,
  });
  const { app } = buildTestApp(database);
  const browser = async (user: { email: string }) => {
    const b = new TestBrowser(app);
    await b.login(user.email, TEST_PASSWORD);
    return b;
  };
  const token = async (userId: string) =>
    (await buildApiToken(db, { associationId: association.id, userId, scope: "write" })).secret;
  const api = `/api/v1/associations/${association.slug}`;
  return {
    db,
    association,
    officer,
    contactX,
    contactY,
    ownerX,
    ownerY,
    app,
    browser,
    token,
    api,
    base: `/f/${association.slug}`,
  };
}
