/**
 * The browser tier: the real server in-process (PGlite, demo data), driven by Debian's Chromium through
 * playwright-core, with axe-core injected into the pages. See ADR 0011 and ACCESSIBILITY.md.
 *
 * Usage: `describeBrowser("…", (env) => { it("…", async () => { const page = env.page; … }) })`. Each file gets one
 * server and one browser (beforeAll/afterAll); each test gets a fresh browser context and page, and fails if any page
 * it opened logged a console error, a CSP violation or an uncaught exception.
 *
 * The server always runs on in-memory PGlite, also when TEST_DATABASE_URL is set: this tier tests the UI, and the
 * database and HTTP tiers (test/db, test/http) cover PostgreSQL.
 */
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import axe from "axe-core";
import pino from "pino";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
  type Response as PageResponse,
  type Route,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_SLUG, demoUsers } from "../../src/demo/demo.js";
import type { Role } from "../../src/platform/db/schema.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { testConfig } from "./http.js";

/**
 * The few DOM globals used inside page.evaluate callbacks, which run in the browser. Declared here, module-local,
 * because the project's tsconfig has no "dom" lib (the server code must not see browser globals).
 */
type DomElement = {
  id: string;
  tagName: string;
  className: unknown;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  parentElement: DomElement | null;
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  contains(other: DomElement): boolean;
  getBoundingClientRect(): { left: number; right: number; width: number };
};
declare const document: {
  activeElement: DomElement | null;
  body: DomElement;
  documentElement: DomElement;
  getElementById(id: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
};
declare const window: object;
declare function getComputedStyle(element: DomElement): { overflowX: string; position: string };

/** The demo users' password in the browser tier (SAMORDNA_DEMO_PASSWORD of the server under test). */
export const DEMO_PASSWORD = "browser-test-demo-password";
export const SLUG = DEMO_SLUG;
export const ASSOCIATION_NAME = "Samordningsförbundet Exempel";

/** The demo login of a role, e.g. `demoLogin("admin")` is forbundschef@exempel.test. */
export function demoLogin(role: Role | "superadmin"): { email: string; name: string } {
  const user = demoUsers.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return { email: user.email, name: user.name };
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export function chromiumAvailable(): boolean {
  try {
    accessSync(chromiumPath(), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function runningInCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** A name nobody else uses in this run: for members, e-mail addresses, tokens and slugs. */
export function unique(prefix = ""): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Where axe-core is served to the page: same origin, so the page's CSP (script-src 'self') stays fully in force. */
const AXE_PATH = "/__browser-test__/axe-core.js";

type ConsoleEntry = { pageUrl: string; text: string; sourceUrl: string };

/** Per test: what the pages logged, and which documents answered with an (expected, asserted) 4xx/5xx. */
export class PageProblems {
  consoleErrors: ConsoleEntry[] = [];
  pageErrors: string[] = [];
  failedDocuments = new Set<string>();

  attach(page: Page) {
    page.on("response", (response) => {
      if (response.request().isNavigationRequest() && response.status() >= 400) {
        this.failedDocuments.add(response.url());
      }
    });
    page.on("console", (message) => {
      const isCspReport = /Content Security Policy/i.test(message.text());
      if (message.type() !== "error" && !isCspReport) return;
      this.consoleErrors.push({ pageUrl: page.url(), text: message.text(), sourceUrl: message.location().url });
    });
    page.on("pageerror", (error) => this.pageErrors.push(`${page.url()}: ${error.name}: ${error.message}`));
  }

  /**
   * Console errors that are problems. Not counted: the "Failed to load resource" line Chromium logs for a page whose
   * document status is a deliberate 401/404/422 (each test asserts that status itself), and the favicon miss, which
   * has its own test so that it does not fail every test.
   */
  unexpected(): string[] {
    const consoleProblems = this.consoleErrors
      .filter((entry) => !isFaviconMiss(entry))
      .filter((entry) => !(isFailedLoad(entry) && this.failedDocuments.has(entry.sourceUrl)))
      .map(
        (entry) => `console error on ${entry.pageUrl}: ${entry.text}${entry.sourceUrl ? ` (${entry.sourceUrl})` : ""}`,
      );
    return [...consoleProblems, ...this.pageErrors.map((error) => `uncaught exception on ${error}`)];
  }
}

const isFailedLoad = (entry: ConsoleEntry) => entry.text.startsWith("Failed to load resource");
const isFaviconMiss = (entry: ConsoleEntry) =>
  isFailedLoad(entry) && new URL(entry.sourceUrl || "about:blank").pathname === "/favicon.ico";

export type BrowserEnv = {
  /** The server's origin, e.g. http://127.0.0.1:41234 (also its PUBLIC_URL, so mailed links point here). */
  readonly url: string;
  readonly server: RunningServer;
  readonly browser: Browser;
  /** This test's fresh context and its first page (baseURL = the server, so `page.goto("/login")` works). */
  readonly context: BrowserContext;
  readonly page: Page;
  /** Another fresh context (e.g. a different person, or JavaScript disabled); closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new fresh context. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** What this test's pages logged; checked automatically after each test. */
  readonly problems: PageProblems;
};

/**
 * Declares a browser suite. Without Chromium the suite is skipped with a loud warning, except on CI (CI set), where
 * it fails: CI must never silently skip the browser tier.
 */
export function describeBrowser(name: string, suite: (env: BrowserEnv) => void) {
  if (!chromiumAvailable()) {
    const message =
      `Chromium not found or not executable at ${chromiumPath()} (set CHROMIUM_PATH, or apt-get install chromium). ` +
      "The browser tests (accessibility, forms, no-JavaScript) cannot run.";
    if (runningInCi()) {
      describe(name, () => {
        it("has Chromium to run the browser tests (CI never skips them)", () => {
          throw new Error(`${message} CI is set, so this is a failure, not a skip.`);
        });
      });
      return;
    }
    const bar = "!".repeat(100);
    console.warn(`\n${bar}\n!! SKIPPING browser tests "${name}": ${message}\n${bar}\n`);
    describe.skip(name, () => suite(unavailableEnv()));
    return;
  }

  describe(name, () => {
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let current: { context: BrowserContext; page: Page } | undefined;
    let contexts: BrowserContext[] = [];
    let problems = new PageProblems();

    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`${what} is not available (outside a browser test?)`);
      return value;
    };

    const newContext = async (options: BrowserContextOptions = {}) => {
      const s = need(server, "the server");
      const context = await need(browser, "the browser").newContext({
        baseURL: s.url,
        locale: "sv-SE",
        timezoneId: "Europe/Stockholm",
        ...options,
      });
      context.setDefaultTimeout(10_000);
      context.setDefaultNavigationTimeout(15_000);
      context.on("page", (page) => problems.attach(page));
      contexts.push(context);
      return context;
    };

    const env: BrowserEnv = {
      get url() {
        return need(server, "the server").url;
      },
      get server() {
        return need(server, "the server");
      },
      get browser() {
        return need(browser, "the browser");
      },
      get context() {
        return need(current, "the test's context").context;
      },
      get page() {
        return need(current, "the test's page").page;
      },
      get problems() {
        return problems;
      },
      newContext,
      async newPage(options) {
        return (await newContext(options)).newPage();
      },
    };

    beforeAll(async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      server = await startServer(
        testConfig({
          env: "test",
          host: "127.0.0.1",
          port,
          publicUrl: url,
          database: { kind: "pglite", dataDir: undefined },
          demoPassword: DEMO_PASSWORD,
          logLevel: "silent",
        }),
        pino({ level: "silent" }),
        { demo: true },
      );
      if (server.url !== url) throw new Error(`server listens on ${server.url}, expected ${url}`);
      browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    beforeEach(async () => {
      problems = new PageProblems();
      contexts = [];
      const context = await newContext();
      current = { context, page: await context.newPage() };
    });

    afterEach(async () => {
      const opened = contexts;
      current = undefined;
      contexts = [];
      await Promise.all(opened.map((context) => context.close().catch(() => {})));
      const found = problems.unexpected();
      expect(found, `console errors, CSP violations or uncaught exceptions:\n  ${found.join("\n  ")}`).toEqual([]);
    });

    suite(env);
  });
}

function unavailableEnv(): BrowserEnv {
  const fail = (): never => {
    throw new Error("Chromium is not available");
  };
  return {
    get url() {
      return fail();
    },
    get server() {
      return fail();
    },
    get browser() {
      return fail();
    },
    get context() {
      return fail();
    },
    get page() {
      return fail();
    },
    get problems() {
      return fail();
    },
    newContext: fail,
    newPage: fail,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Navigation and forms

/** Opens a path (relative to the server) and returns the document's response. */
export async function open(page: Page, path: string): Promise<PageResponse> {
  const response = await page.goto(path);
  if (!response) throw new Error(`no response for ${path}`);
  return response;
}

/** Clicks something that navigates (a link, a submit button) and waits for the new page to load; returns its response. */
export async function navigateBy(page: Page, target: Locator): Promise<PageResponse> {
  const navigation = page.waitForNavigation({ waitUntil: "load" });
  await target.click();
  const response = await navigation;
  if (!response) throw new Error("the click did not load a new document");
  return response;
}

/** The path (with query) of the page's current URL. */
/** Presses a button that loads a page, and checks the page it leads to with axe. */
export async function press(page: Page, name: string) {
  const response = await navigateBy(page, page.getByRole("button", { name, exact: true }));
  await expectNoAxeViolations(page, `after "${name}" on ${pathOf(page)}`);
  return response;
}

/** Follows a link, and checks the page it leads to with axe. */
export async function follow(page: Page, name: string) {
  const response = await navigateBy(page, page.getByRole("link", { name, exact: true }));
  await expectNoAxeViolations(page, `"${name}" at ${pathOf(page)}`);
  return response;
}

export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** An element's text, whitespace (also the no-break spaces of Swedish number formats) collapsed to single spaces. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

export async function heading(page: Page): Promise<string> {
  return textOf(page.locator("h1"));
}

/** The flash messages (after redirect-after-post) on the page. */
export async function flashes(page: Page): Promise<string[]> {
  return (await page.locator("main .flash").allInnerTexts()).map((text) => text.trim());
}

/** Logs in through the real login form; expects to land on a signed-in page. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<PageResponse> {
  await open(page, "/login");
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(password);
  const response = await navigateBy(page, page.getByRole("button", { name: "Logga in" }));
  if (response.status() !== 200 || new URL(page.url()).pathname === "/login") {
    throw new Error(`login as ${email} failed: ${response.status()} at ${page.url()}`);
  }
  return response;
}

/** Logs out through the header's button. */
export async function logout(page: Page): Promise<PageResponse> {
  const account = page.getByRole("navigation", { name: "Konto" });
  return navigateBy(page, account.getByRole("button", { name: "Logga ut" }));
}

/** The main navigation of an association ("Moduler"). */
export function modules(page: Page): Locator {
  return page.getByRole("navigation", { name: "Moduler" });
}

/**
 * Asserts the GOV.UK-style error summary of a form sent with errors: exactly one, focused on load (by app.js,
 * when JavaScript runs), and every link points at an element that exists. Returns the messages.
 */
export async function expectErrorSummary(page: Page, options: { focused?: boolean } = {}): Promise<string[]> {
  const summary = page.locator(".error-summary");
  expect(await summary.count(), `one error summary on ${page.url()}`).toBe(1);
  expect(await summary.isVisible()).toBe(true);
  if (options.focused ?? true) {
    const focused = await focusedElement(page);
    expect(`${focused.tag}.${focused.className}`, `the error summary has focus on ${page.url()}`).toBe(
      "div.error-summary",
    );
  }
  const links = await summary.locator("a").evaluateAll((anchors) =>
    anchors.map((anchor) => {
      const href = anchor.getAttribute("href") ?? "";
      const target = href.startsWith("#") ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
      return { href, text: anchor.textContent?.trim() ?? "", targetExists: target !== null };
    }),
  );
  for (const link of links) {
    expect(link.href, `error summary link "${link.text}" is a same-page anchor`).toMatch(/^#./);
    expect(link.targetExists, `error summary link "${link.text}" points at an existing id (${link.href})`).toBe(true);
  }
  return links.map((link) => link.text);
}

/** What has keyboard focus on the page. */
export async function focusedElement(page: Page): Promise<{
  tag: string;
  id: string;
  className: string;
  text: string;
  href: string | null;
  role: string | null;
  insideMain: boolean;
}> {
  return page.evaluate(() => {
    const active = document.activeElement ?? document.body;
    return {
      tag: active.tagName.toLowerCase(),
      id: active.id,
      className: String(active.className),
      text: active.textContent?.trim() ?? "",
      href: active.getAttribute("href"),
      role: active.getAttribute("role"),
      insideMain: active.closest("main") !== null,
    };
  });
}

/** Whether the page's window has a global of that name (e.g. "htmx", set once its script has run). */
export async function hasGlobal(page: Page, name: string): Promise<boolean> {
  return page.evaluate((global) => global in window, name);
}

/**
 * How far the page scrolls sideways (WCAG 1.4.10 Reflow: at 320 CSS px nothing but e.g. a data table in its own
 * scrolling box may need horizontal scrolling), and the elements that stick out: boxes that overflow visibly, and
 * absolutely positioned elements past the edge (they escape an overflow container that is not positioned).
 */
export async function horizontalOverflow(
  page: Page,
): Promise<{ scrollWidth: number; width: number; causes: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth + 1;
    const name = (element: DomElement) => {
      const classes =
        typeof element.className === "string" && element.className.trim()
          ? `.${element.className.trim().split(/\s+/).join(".")}`
          : "";
      const text = (element.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes}${text ? ` "${text}"` : ""}`;
    };
    const candidates: { element: DomElement; why: string }[] = [];
    for (const element of document.querySelectorAll("body *")) {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (box.width === 0) continue;
      const overflow = element.scrollWidth - element.clientWidth;
      if ((style.position === "absolute" || style.position === "fixed") && box.right > width) {
        candidates.push({ element, why: `positioned ${style.position}, right edge at ${Math.round(box.right)} px` });
      } else if (
        style.overflowX === "visible" &&
        element.clientWidth > 0 &&
        box.right + overflow > width &&
        overflow > 1
      ) {
        candidates.push({
          element,
          why: `content ${overflow} px wider than the box, reaching ${Math.round(box.right + overflow)} px`,
        });
      } else if (
        box.right > width &&
        element.parentElement &&
        element.parentElement.getBoundingClientRect().right <= width &&
        getComputedStyle(element.parentElement).overflowX === "visible"
      ) {
        candidates.push({ element, why: `right edge at ${Math.round(box.right)} px` });
      }
    }
    // The innermost causes: a box that only overflows because of a child is not itself a cause.
    const causes = candidates
      .filter(
        (candidate) => !candidates.some((other) => other !== candidate && candidate.element.contains(other.element)),
      )
      .map((candidate) => `${name(candidate.element)}: ${candidate.why}`);
    return { scrollWidth: root.scrollWidth, width: root.clientWidth, causes: causes.slice(0, 8) };
  });
}

/** The newest mail in /dev/outbox to an address (optionally with a subject), and the first link in it. */
export async function mailTo(page: Page, to: string, subject?: string): Promise<{ subject: string; link: string }> {
  await open(page, "/dev/outbox");
  let mails = page.locator("article.mail").filter({ hasText: `Till ${to},` });
  if (subject) mails = mails.filter({ has: page.getByRole("heading", { name: subject, exact: true }) });
  const mail = mails.first();
  if ((await mails.count()) === 0) throw new Error(`no mail to ${to}${subject ? ` with subject "${subject}"` : ""}`);
  const text = (await mail.locator("pre").textContent()) ?? "";
  const link = /https?:\/\/\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no link in the mail to ${to}: ${text}`);
  return { subject: await textOf(mail.locator("h2")), link };
}

// ---------------------------------------------------------------------------------------------------------------
// Accessibility

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Violation = {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
};

/**
 * Injects axe-core into the page unless it is already there. The page's CSP (script-src 'self') blocks an inline
 * `addScriptTag({ content })`, so the script tag loads axe from a same-origin URL that is answered by a route for
 * just this moment: the page keeps its real CSP (and CSP violations still show), and no other request is intercepted.
 */
async function injectAxe(page: Page) {
  if (await hasGlobal(page, "axe")) return;
  const url = new URL(AXE_PATH, page.url()).toString();
  const serveAxe = (route: Route) =>
    route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: axe.source });
  await page.route(url, serveAxe);
  try {
    await page.addScriptTag({ url: AXE_PATH });
  } finally {
    await page.unroute(url, serveAxe);
  }
  if (!(await hasGlobal(page, "axe"))) {
    throw new Error(`axe-core did not load on ${page.url()} (JavaScript disabled in this context?)`);
  }
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) on the page and fails on any serious or critical violation. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  await injectAxe(page);
  const violations: Violation[] = await page.evaluate(async (tags) => {
    const { axe: engine } = window as unknown as { axe: typeof axe };
    const results = await engine.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map((part) => (Array.isArray(part) ? part.join(" >>> ") : String(part))).join(" "),
        summary: node.failureSummary ?? "",
      })),
    }));
  }, WCAG_TAGS);
  const report = (list: Violation[]) =>
    list
      .map(
        (violation) =>
          `  - ${violation.id} [${violation.impact}] ${violation.help}\n    ${violation.helpUrl}\n` +
          violation.nodes
            .map((node) => `      ${node.target}\n        ${node.summary.replace(/\n/g, "\n        ")}`)
            .join("\n"),
      )
      .join("\n");
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  const other = violations.filter((violation) => !blocking.includes(violation));
  if (other.length > 0) {
    console.warn(`axe (minor/moderate, not failing) on ${label} (${pathOf(page)}):\n${report(other)}`);
  }
  expect(
    blocking.map((violation) => `${violation.id} [${violation.impact}]`),
    `axe: serious/critical WCAG 2.1 AA violations on ${label} (${pathOf(page)}):\n${report(blocking)}\n`,
  ).toEqual([]);
}
