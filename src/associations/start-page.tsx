import { can, roleNames } from "../platform/auth/policy.js";
import type { Tenant } from "../platform/http/env.js";
import { formatDateTime } from "../platform/ui/format.js";
import { associationNav } from "../platform/ui/layout.js";
import { checkFundingShares } from "./funding-shares.js";
import { startPageFigures } from "./repository.js";
import { upcomingModules } from "./upcoming-modules.js";

const descriptions: Record<string, string> = {
  ...Object.fromEntries(upcomingModules.map((module) => [module.path, module.description])),
  "/participants": "Uppföljning av deltagare med samtycke, krypterade personuppgifter och statistik per kön.",
  "/economy": "Medlemsbidrag, budget, utfall från bokföringen (SIE), resultat- och balansräkning.",
  "/members": "Förbundets medlemmar och deras andelar av medlemsbidragen.",
  "/users": "Bjud in användare och ge dem roller.",
  "/audit-log": "Vem gjorde vad och när.",
  "/api-tokens": "Personliga nycklar för att hämta och lämna uppgifter via API.",
};

/** The start page shows each role what it works with; the administrator also sees the state of the association. */
export async function StartPage({ tenant, base }: { tenant: Tenant; base: string }) {
  const { association, role, user } = tenant;
  const links = associationNav.filter((item) => item.href !== "" && can(role, item.permission));
  let status = null;
  if (role === "admin") {
    const { members, admins, recent } = await startPageFigures(tenant.tx, association.id);
    const check = checkFundingShares(members);
    status = (
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Läget i förbundet</h2>
        <ul>
          <li>
            {members.length} medlemmar. Andelarna{" "}
            {check.ok ? "följer lagens fördelning." : <a href={`${base}/members`}>följer inte lagens fördelning.</a>}
          </li>
          <li>{admins} administratörer.</li>
          <li>
            <a href={`${base}/report-templates`}>Rapportmallar</a> för del- och slutrapporter.
          </li>
        </ul>
        {recent.length > 0 && (
          <>
            <h3>Senaste händelser</h3>
            <ul>
              {recent.map((entry) => (
                <li>
                  {formatDateTime(entry.occurredAt)} – {entry.actor ?? "system"}: {entry.action}
                </li>
              ))}
            </ul>
            <p>
              <a href={`${base}/audit-log`}>Hela loggen</a>
            </p>
          </>
        )}
      </section>
    );
  }
  return (
    <>
      <h1>{association.name}</h1>
      <p class="lead">
        Välkommen, {user.name}. Du är inloggad som {roleNames[role].toLowerCase()}.
      </p>
      {status}
      <section aria-labelledby="modules-heading">
        <h2 id="modules-heading">Dina arbetsytor</h2>
        <ul class="cards">
          {links.map((item) => (
            <li class="card">
              <h3>
                <a href={base + item.href}>{item.label}</a>
              </h3>
              <p>{descriptions[item.href]}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
