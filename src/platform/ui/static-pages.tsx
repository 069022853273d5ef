import { notFound } from "../http/errors.js";
import { renderPage } from "../http/render.js";
import type { Routes } from "../http/routes.js";
import { formatDateTime } from "./format.js";

export function registerStaticPages({ app }: Routes) {
  // Also the benchmark's baseline: the full layout, no database.
  app.get("/about", (c) =>
    renderPage(
      c,
      "Om Samordna",
      <>
        <h1>Om Samordna</h1>
        <p>
          Samordna är en öppen plattform för Sveriges samordningsförbund enligt lagen (2003:1210) om finansiell
          samordning av rehabiliteringsinsatser. Förbundet äger sina uppgifter: insatser, deltagaruppföljning, ekonomi,
          styrelsearbete och rapporter samlas på ett ställe.
        </p>
        <p>
          Tillgänglighet: tjänsten ska uppfylla WCAG 2.1 nivå AA. Hittar du brister, kontakta förbundets administratör.
        </p>
      </>,
    ),
  );

  app.get("/dev/outbox", (c) => {
    const { mailer, config } = c.get("deps");
    if (!mailer.outbox || config.env === "production") throw notFound();
    c.header("Cache-Control", "no-store");
    return renderPage(
      c,
      "Utkorg (utveckling)",
      <>
        <h1>Utkorg (utveckling)</h1>
        <p>Ingen e-postserver är inställd (SMTP_URL), så e-post hamnar här i stället för att skickas.</p>
        {mailer.outbox.length === 0 && <p>Utkorgen är tom.</p>}
        {mailer.outbox.map((mail) => (
          <article class="mail">
            <h2>{mail.subject}</h2>
            <p class="muted">
              Till {mail.to}, {formatDateTime(mail.sentAt)}
            </p>
            <pre>{mail.text}</pre>
          </article>
        ))}
      </>,
    );
  });
}
