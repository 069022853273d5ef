import { describe, expect, it } from "vitest";
import { builtinTemplates, findBuiltinTemplate } from "./builtin/index.js";
import { type TemplateVersion, templateVersion, walkSections } from "./template-model.js";

/** The words a blank form prints, in order: titles, fixed texts, numbered headings, prompts, branch questions. */
function printedOutline(template: TemplateVersion): string[] {
  const lines = [template.title, ...(template.subtitle ? [template.subtitle] : [])];
  const numbered = (number: string | undefined, text: string) => (number ? `${number} ${text}` : text);
  for (const section of walkSections(template.sections)) {
    if (section.heading) lines.push(numbered(section.number, section.heading));
    lines.push(...section.prompts);
    if (section.type === "static_text") lines.push(...section.config.paragraphs);
    if (section.type === "funds_summary") {
      for (const branch of section.config.branches) {
        if (branch.heading) lines.push(numbered(branch.number, branch.heading));
        lines.push(...branch.questions.map((question) => numbered(question.number, question.text)));
      }
    }
  }
  return lines;
}

const expected: Record<string, string[]> = {
  "harnosand-timra/slutrapport": [
    "Slutrapport",
    "Denna mall ska användas vid slutrapportering av insatser finansierade av Samordningsförbundet Härnösand-Timrå. Slutrapporten ska sammanställas och redovisas till förbundet enligt avtal.",
    "Kontaktuppgifter till förbundet:",
    "1. Insatsen",
    "2. Följande förbundsmedlemmar har sökt medel",
    "3. Insatsbeskrivning",
    "3.1 Bakgrund till insatsen",
    "3.2 Syfte med insatsen. Beskriv kortfattat vilken förändring som ville uppnås med insatsen?",
    "3.3 Målgruppen för insatsen",
    "4. Resultat och utfall av insatsen",
    "4.1 Insatsens mål",
    "Ange uppsatta mål för insatsen",
    "4.2 Arbetsätt och verksamhetsbeskrivning för insatsen",
    "4.3 Avvikelser från planering (avseende ekonomi, tidsplan, aktiviteter mål mm)",
    "4.4 Beskriv uppföljning och utvärdering av målen",
    "Hur har arbetet med uppföljning och utvärdering genomförts och med vilka har det kommunicerats?",
    "5. Analys",
    "5.1 Vilka effekter för insatsens aktuella parter, har insatsen bidragit till? Har insatsen påverkat befintliga verksamheter? T ex, har behovet av offentlig försörjning minskat? Har antalet besök vid primärvård, socialtjänst m.fl. minskat? Har det uppstått några nya behov?",
    "5.2 Hur har insatsen medfört förbättrad samverkan mellan insatsens aktuella parter?",
    "5.3 Beskriv tillvaratagna erfarenheter och lärdomar från insatsen",
    "Vilka lärdomar och erfarenheter har respektive samverkanspart erhållit? Vad har gått bra och mindre bra i arbetet?",
    "5.4 Beskriv på vilket sätt lärdomar av insatsen kommer att implementeras (organisatoriskt, finansiellt och innehållsmässigt)",
    "5.5 Beskriv eventuella identifierade systemfel som påverkat utfall och resultat",
    "6. Ekonomisk rapport",
    "Redovisa era totala kostnader för insatsen enligt nedan. Ifall inte allt beviljat medel har använts vad var orsaken och om det haft konsekvenser för innehåll och utfall av insatsen",
    "7. Underskrifter",
  ],
  "uppsala-lan/slutrapport-samverkansinsatser-2017": [
    "Slutrapport samverkansinsatser inom samordningsförbundet",
    "Insatsens namn",
    "Insatsägare/Samverkansparter",
    "Beskriv syftet med insatsen:",
    "Beskriv målen med insatsen samt utfall/resultat:",
    "Om målen ej nåtts, var är orsak till detta?",
    "Påverkas utfall/resultat av ett jämställdhetsperspektiv?",
    "Beskriv bakgrunden till/behovet av insatsen",
    "Har detta behov förändrats i och med insatsen genomförande?",
    "Insatstid",
    "Eventuellt slutdatum för intag av deltagare i insatsen:",
    "Beskriv målgrupp för insatsen",
    "Ange antal deltagare som deltagit i insatsen (ifall detta ej angivits under mål ovan):",
    "Beskriv metod/metoder ni använt och aktiviteter som skett:",
    "Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?",
    "Beskriv uppföljning och utvärdering av målen:",
    "Hur har ni arbetat med uppföljning och utvärdering samt till vilka har detta kommunicerats?",
    "Beskriv hur insatsen kommer att implementeras (organisatoriskt, finansiellt och innehållsmässigt):",
    "När och med vilka har diskussion kring implementering förts?",
    "Redogör för utfall av budget/finansiering:",
    "Ifall medel har återförts till förbundet, vad har detta för orsaker?",
    "Ifall medel har återförts till förbundet, vad har detta fått för konsekvenser för innehållet och utfallet av insatsen?",
    "Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:",
    "Vilka lärdomar och erfarenheter har respektive samverkanspart erhållit?",
    "Underskrifter",
  ],
  "gavleborg/slutrapport-insats-for-samverkansmedel": [
    "Slutrapport",
    "Insats för samverkansmedel",
    "Denna mall ska användas vid slutrapportering av insatser finansierade av Samordningsförbund Gävleborg.",
    "Slutrapport för insatser skickas via e-post till kontakt@finsamgavleborg.se",
    "Rapportens syfte är att förmedla information till styrelsen för uppföljning och lärande.",
    "Kontakt",
    "På www.finsamgavleborg.se kan du läsa mer om hur du ansöker.",
    "1. Allmänna uppgifter",
    "2. Ansvarig för genomförande av insatsen",
    "3. Samverkansparter",
    "4. Insatsbeskrivning",
    "4.1 Syfte och bakgrund till insatsen:",
    "4.2 Målgrupp för insatsen:",
    "Vilka grupper/individer har omfattats av insatsen.",
    "5. Resultat och utfall av insats",
    "5.1 Måluppfyllelse:",
    "Ange mål och resultat.",
    "5.2 Arbetssätt och verksamhetsbeskrivning:",
    "Beskriv vilka metoder/arbetssätt och vilka aktiviteter som har genomförts. Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?",
    "5.3 Avvikelser från planering (tidsplan, aktiviteter numerära mål, m.m.):",
    "Har insatsen kunnat genomföras enligt planering? Om inte, vilka åtgärder har vidtagits? Om målet ej nåtts, vad är orsaken till detta?",
    "5.4 Beskriv uppföljning och utvärdering av målen:",
    "Hur har ni arbetat med uppföljning och utvärdering, samt med vilka har detta kommunicerats?",
    "6. Analys",
    "6.1 Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:",
    "6.2 Beskriv i vilken form insatsen har blivit eller kommer bli implementerad:",
    "6.3 Brukarmedverkan:",
    "Beskriv hur deltagare involverats och gjorts delaktiga i insatsen, samt vilka lärdomar och erfarenheter de bidragit med.",
    "6.4 Beskriv framgångsfaktorer/positiva effekter:",
    "6.5 Beskriv identifierade systemfel som påverkat insatsens resultat:",
    "7. Ekonomiuppföljning utnyttjade medel",
    "7.1 Beviljade medel är helt utnyttjade",
    "7.1.1 Var den budget ni lagt bra avvägd i förhållande till verksamheten? Beskriv om ni skulle gjort något annorlunda i efterhand och vilken betydelse det skulle haft för insatsen.",
    "7.2 Beviljade medel är inte helt utnyttjade",
    "7.2.1 Varför utnyttjades inte beviljade insatsmedel? Berätta om de faktorer som påverkat utfallet.",
    "8. Uppgiftslämnare",
  ],
};

const sectionOf = (template: TemplateVersion, key: string) =>
  [...walkSections(template.sections)].find((section) => section.key === key);

describe("built-in templates", () => {
  it("are the three seeded templates, found by key", () => {
    expect(builtinTemplates.map((template) => template.key)).toEqual(Object.keys(expected));
    for (const template of builtinTemplates) expect(findBuiltinTemplate(template.key)).toBe(template);
    expect(findBuiltinTemplate("okand/mall")).toBeUndefined();
  });

  for (const template of builtinTemplates) {
    describe(template.key, () => {
      it("parses with the template schema, unchanged", () => {
        expect(templateVersion.parse(structuredClone(template))).toEqual(template);
      });

      it("has unique section keys", () => {
        const keys = [...walkSections(template.sections)].map((section) => section.key);
        expect(new Set(keys).size).toBe(keys.length);
      });

      it("prints its headings and prompts in the order of the original form", () => {
        expect(printedOutline(template)).toEqual(expected[template.key]);
      });

      it("holds no personal names, e-mail addresses or phone numbers, only the förbund's own", () => {
        const printed = JSON.stringify(template);
        expect(printed.match(/[\w.-]+@[\w.-]+/g) ?? []).toEqual(
          template.key.startsWith("gavleborg") ? ["kontakt@finsamgavleborg.se"] : [],
        );
        expect(printed).not.toMatch(/\d{3}-\d{3} ?\d{2} ?\d{2}/);
      });
    });
  }

  it("rejects a template that uses a section key twice", () => {
    const template = structuredClone(findBuiltinTemplate("harnosand-timra/slutrapport")!);
    template.sections.push({ ...template.sections[0]! });
    const result = templateVersion.safeParse(template);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Nyckeln instructions används flera gånger.");
  });

  it("rejects a kostnadsslag twice and a jämställdhet section that refers to no participant statistics", () => {
    const ht = structuredClone(findBuiltinTemplate("harnosand-timra/slutrapport")!);
    const costs = [...walkSections(ht.sections)].find((section) => section.key === "costs");
    if (costs?.type !== "cost_table") throw new Error("costs is not a cost table");
    costs.config.rows.push({ key: "salaries", label: "Lönekostnader" });
    expect(templateVersion.safeParse(ht).error?.issues.map((issue) => issue.message)).toEqual([
      "Nyckeln salaries används flera gånger i avsnittet costs.",
    ]);
    const ul = structuredClone(findBuiltinTemplate("uppsala-lan/slutrapport-samverkansinsatser-2017")!);
    const gender = ul.sections.find((section) => section.key === "gender_equality");
    if (gender?.type !== "gender_equality") throw new Error("gender_equality has the wrong type");
    gender.config.statsSection = "purpose";
    expect(templateVersion.safeParse(ul).error?.issues.map((issue) => issue.message)).toEqual([
      "Avsnittet gender_equality hänvisar till purpose, som inte är deltagarstatistik.",
    ]);
  });

  it("rejects a section key outside a–z, 0–9, '.', '-' and '_'", () => {
    const template = structuredClone(findBuiltinTemplate("harnosand-timra/slutrapport")!);
    template.sections[0]!.key = "Instruktioner";
    expect(templateVersion.safeParse(template).success).toBe(false);
  });
});

describe("Härnösand-Timrå labels", () => {
  const template = findBuiltinTemplate("harnosand-timra/slutrapport")!;

  it("prints the goal table's first column header as number, heading and prompt", () => {
    const goals = sectionOf(template, "goals");
    if (goals?.type !== "goal_table") throw new Error("goals is not a goal table");
    expect(goals.config.columns).toEqual({
      goal: "4.1 Insatsens mål Ange uppsatta mål för insatsen",
      status: "Har målet uppnåtts? Ja eller nej",
      outcome: "Utfall/resultat för respektive mål",
    });
    expect([goals.number, goals.heading, ...goals.prompts].join(" ")).toBe(goals.config.columns.goal);
  });

  it("lists the seven kostnadsslag with their hints, then Summa", () => {
    const costs = sectionOf(template, "costs");
    if (costs?.type !== "cost_table") throw new Error("costs is not a cost table");
    expect(costs.config.categoryHeader).toBe("Kostnadslag");
    expect(costs.config.rows.map((row) => [row.label, row.hint].filter(Boolean).join(" "))).toEqual([
      "Aktiviteter (ange typ av aktivitet t ex. möte, seminarier mm)",
      "Externa tjänster (typ av köpt tjänst)",
      "Lönekostnader",
      "Lokalkostnader",
      "Material (ange typ av material)",
      "Resekostnader (ange typ av aktivitet)",
      "Övriga kostnader (ange typ av övriga kostnader)",
    ]);
    expect(costs.config.totalLabel).toBe("Summa");
  });

  it("prints the insats fields, one owner and three medsökande blocks, and four signature blocks", () => {
    const fields = sectionOf(template, "intervention");
    const parties = sectionOf(template, "parties");
    const signatures = sectionOf(template, "signatures");
    if (fields?.type !== "field_group" || parties?.type !== "party_list" || signatures?.type !== "signature_block") {
      throw new Error("unexpected section types");
    }
    expect(fields.config.fields.map((field) => [field.label, field.source])).toEqual([
      ["Insatsens namn:", "name"],
      ["Tidsperiod:", "period"],
      ["Beviljat medel:", "granted"],
    ]);
    expect(
      parties.config.roles.map((role) => [role.organisationLabel, role.slots, role.columns.map((c) => c.label)]),
    ).toEqual([
      ["Ansvarig för genomförande av insats - Organisation", 1, ["Kontaktperson för insatsägare", "E-post"]],
      ["Organisation - medsökande", 3, ["Kontaktperson", "E-post"]],
    ]);
    expect(signatures.config.slots).toHaveLength(4);
    expect(signatures.config.slots[0]?.lines.map((line) => line.label)).toEqual([
      "Organisation:",
      "Ort och datum:",
      "Underskrift",
    ]);
  });

  it("names the förbundschef in the contact block, filled from the association's settings", () => {
    const contact = sectionOf(template, "contact");
    if (contact?.type !== "static_text") throw new Error("contact is not static text");
    expect(contact.config.contactBlock?.contacts).toEqual([{ title: "förbundschef" }]);
  });
});

describe("Uppsala län labels", () => {
  const template = findBuiltinTemplate("uppsala-lan/slutrapport-samverkansinsatser-2017")!;

  it("numbers four party rows 'Organisation: … Kontaktperson: …', the first for the insatsägare", () => {
    const parties = sectionOf(template, "parties");
    if (parties?.type !== "party_list") throw new Error("parties is not a party list");
    expect(parties.config.numbering).toBe("numbered");
    expect(parties.config.roles.map((role) => [role.role, role.organisationLabel, role.slots])).toEqual([
      ["owner", "Organisation:", 1],
      ["partner", "Organisation:", 3],
    ]);
  });

  it("splits Insatstid into Startdatum: and Slutdatum:", () => {
    const period = sectionOf(template, "period");
    if (period?.type !== "field_group") throw new Error("period is not a field group");
    expect(period.config.fields[0]?.rendering).toEqual({
      style: "split",
      startLabel: "Startdatum:",
      endLabel: "Slutdatum:",
    });
  });

  it("prints the signature grid with the insatsägare first and samverkansparter after", () => {
    const signatures = sectionOf(template, "signatures");
    if (signatures?.type !== "signature_block") throw new Error("signatures is not a signature block");
    expect(signatures.config.layout).toBe("grid");
    expect(signatures.config.slots.map((slot) => slot.lines.map((line) => line.label))).toEqual([
      ["Ort och datum", "Insatsägare (namn)", "Insatsägare (namnförtydligande)"],
      ...Array.from({ length: 4 }, () => [
        "Ort och datum",
        "Samverkanspart (namn)",
        "Samverkanspart (namnförtydligande)",
      ]),
    ]);
  });
});

describe("Gävleborg labels", () => {
  const template = findBuiltinTemplate("gavleborg/slutrapport-insats-for-samverkansmedel")!;

  it("has the office fields and a footer on every page", () => {
    const office = sectionOf(template, "office");
    const footer = sectionOf(template, "footer");
    if (office?.type !== "office_fields" || footer?.type !== "static_text") throw new Error("unexpected types");
    expect(office.config.fields.map((field) => field.label)).toEqual(["Diarienummer", "Signatur", "Ankomstdatum"]);
    expect(footer.config.placement).toBe("every_page");
    expect(footer.config.pageNumber).toBe("Sida {n}({N})");
  });

  it("prints section 1 and the owner's contact fields as labelled", () => {
    const general = sectionOf(template, "general");
    const owner = sectionOf(template, "owner");
    const partners = sectionOf(template, "partners");
    if (general?.type !== "field_group" || owner?.type !== "party_list" || partners?.type !== "party_list") {
      throw new Error("unexpected types");
    }
    expect(general.config.fields.map((field) => [field.label, field.source])).toEqual([
      ["Insatsens namn", "name"],
      ["Insatstid - åååå-mm-dd", "period"],
      ["Beviljade medel för insatsen", "granted"],
      ["Utnyttjade medel", "used"],
    ]);
    expect(general.config.fields[1]?.hint).toBe("åååå-mm-dd");
    expect(owner.config.roles[0]?.columns.map((column) => column.label)).toEqual([
      "Arbetsställets namn",
      "Namn - kontaktperson för insatsägare",
      "Mobiltelefonnummer",
      "E-postadress",
      "Postnummer",
      "Postadress",
    ]);
    expect(partners.config.roles).toEqual([
      { role: "partner", organisationLabel: "Organisation", slots: 4, columns: [] },
    ]);
  });

  it("asks 7.1.1 when the funds are fully used and 7.2.1 when not", () => {
    const funds = sectionOf(template, "funds");
    if (funds?.type !== "funds_summary") throw new Error("funds is not a funds summary");
    expect(funds.config.branches.map((branch) => [branch.when, branch.questions.map((q) => q.number)])).toEqual([
      ["unused_zero", ["7.1.1"]],
      ["unused_positive", ["7.2.1"]],
    ]);
  });
});
