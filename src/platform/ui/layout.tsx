import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { can, type Permission, roleNames } from "../auth/policy.js";
import type { Role } from "../db/schema.js";
import type { Flash, SignedInUser } from "../http/env.js";
import { CsrfField } from "./components.js";

export type Frame = {
  path: string;
  csrfToken: string;
  user: SignedInUser | undefined;
  flash: Flash[];
  association: { slug: string; name: string } | undefined;
  role: Role | undefined;
};

type NavItem = { href: string; label: string; permission: Permission };

/** The modules of an association, in the order the förbund's year runs through them. */
export const associationNav: NavItem[] = [
  { href: "", label: "Start", permission: "association.read" },
  { href: "/interventions", label: "Insatser", permission: "intervention.read" },
  { href: "/participants", label: "Deltagare", permission: "participant_statistics.read" },
  { href: "/economy", label: "Ekonomi", permission: "economy.read" },
  { href: "/board", label: "Styrelse", permission: "board_material.read" },
  { href: "/reports", label: "Rapporter", permission: "report.read" },
  { href: "/members", label: "Medlemmar", permission: "member.read" },
  { href: "/organisations", label: "Organisationer", permission: "organisation.read" },
  { href: "/users", label: "Användare", permission: "user.read" },
  { href: "/audit-log", label: "Logg", permission: "audit_log.read" },
  { href: "/api-tokens", label: "API-nycklar", permission: "api_token.manage_own" },
];

function isCurrent(path: string, href: string, base: string) {
  const target = base + href;
  return href === "" ? path === target || path === `${target}/` : path === target || path.startsWith(`${target}/`);
}

export function Layout(props: { title: string; frame: Frame; children: Child }) {
  const { frame } = props;
  const base = frame.association ? `/f/${frame.association.slug}` : "";
  const fullTitle = frame.association
    ? `${props.title} – ${frame.association.name} – Samordna`
    : `${props.title} – Samordna`;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="sv">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta
            name="htmx-config"
            content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}'
          />
          <title>{fullTitle}</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/vendor/htmx-2.0.11.min.js" defer></script>
          <script src="/static/app.js" defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            Hoppa till innehållet
          </a>
          <header class="site-header">
            <div class="site-header__inner">
              <a class="brand" href="/">
                Samordna
              </a>
              {frame.association && <span class="site-header__association">{frame.association.name}</span>}
              {frame.user && (
                <nav class="user-menu" aria-label="Konto">
                  <span class="user-menu__name">
                    {frame.user.name}
                    {frame.role && <span class="user-menu__role">, {roleNames[frame.role]}</span>}
                  </span>
                  <a href="/account">Mitt konto</a>
                  {frame.user.isSuperadmin && <a href="/admin/associations">Plattform</a>}
                  <form method="post" action="/logout" class="inline-form">
                    <CsrfField token={frame.csrfToken} />
                    <button type="submit" class="link-button">
                      Logga ut
                    </button>
                  </form>
                </nav>
              )}
            </div>
            {frame.association && frame.role && (
              <nav class="main-nav" aria-label="Moduler">
                <ul>
                  {associationNav
                    .filter((item) => can(frame.role, item.permission))
                    .map((item) => (
                      <li>
                        <a
                          href={base + item.href || "/"}
                          aria-current={isCurrent(frame.path, item.href, base) ? "page" : undefined}
                        >
                          {item.label}
                        </a>
                      </li>
                    ))}
                </ul>
              </nav>
            )}
          </header>
          <main id="main" tabindex={-1}>
            {frame.flash.map((flash) => (
              <div class={`flash flash--${flash.kind}`} role={flash.kind === "error" ? "alert" : "status"}>
                {flash.text}
              </div>
            ))}
            {props.children}
          </main>
          <footer class="site-footer">
            <p>
              Samordna – öppen källkod för samordningsförbund. <a href="/about">Om Samordna</a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
