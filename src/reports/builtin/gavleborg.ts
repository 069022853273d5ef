import { type TemplateVersion, templateVersion } from "../template-model.js";
import { freeText } from "./free-text.js";

/**
 * Samordningsförbund Gävleborg, "Slutrapport – Insats för samverkansmedel", numbered 1–8 on seven pages. The only
 * copy is an OCR that lost å, ä and ö; the wording here is restored. Where an item prints "Label: question", the
 * label is the heading and the question its prompt. "aktiviteter numerära mål" (5.3) is printed without a comma.
 */
const free = (key: string, number: string, heading: string, prompts: string[] = []) =>
  freeText(key, { number, heading, prompts });

export const gavleborg: TemplateVersion = templateVersion.parse({
  key: "gavleborg/slutrapport-insats-for-samverkansmedel",
  association: "Samordningsförbund Gävleborg",
  title: "Slutrapport",
  subtitle: "Insats för samverkansmedel",
  kind: "slutrapport",
  sections: [
    {
      key: "instructions",
      type: "static_text",
      config: {
        placement: "cover",
        paragraphs: [
          "Denna mall ska användas vid slutrapportering av insatser finansierade av Samordningsförbund Gävleborg.",
        ],
      },
    },
    {
      key: "office",
      type: "office_fields",
      config: {
        staffOnly: true,
        fields: [
          { field: "registry_number", label: "Diarienummer" },
          { field: "signature", label: "Signatur" },
          { field: "arrival_date", label: "Ankomstdatum" },
        ],
      },
    },
    {
      key: "submission",
      type: "static_text",
      config: {
        placement: "cover",
        paragraphs: [
          "Slutrapport för insatser skickas via e-post till kontakt@finsamgavleborg.se",
          "Rapportens syfte är att förmedla information till styrelsen för uppföljning och lärande.",
        ],
      },
    },
    {
      key: "contact",
      heading: "Kontakt",
      type: "static_text",
      config: {
        placement: "cover",
        contactBlock: {
          contacts: [{ title: "förbundschef" }, { title: "verksamhetsutvecklare" }],
          fields: ["name", "title", "email", "phone"],
        },
      },
    },
    {
      key: "footer",
      type: "static_text",
      config: {
        placement: "every_page",
        paragraphs: ["På www.finsamgavleborg.se kan du läsa mer om hur du ansöker."],
        pageNumber: "Sida {n}({N})",
      },
    },
    {
      key: "general",
      number: "1.",
      heading: "Allmänna uppgifter",
      type: "field_group",
      config: {
        layout: "stacked",
        fields: [
          { key: "name", kind: "text", label: "Insatsens namn", source: "name" },
          {
            key: "period",
            kind: "date_range",
            label: "Insatstid - åååå-mm-dd",
            hint: "åååå-mm-dd",
            source: "period",
            rendering: { style: "single", format: "{start} – {end}" },
          },
          { key: "granted", kind: "money", label: "Beviljade medel för insatsen", source: "granted" },
          { key: "used", kind: "money", label: "Utnyttjade medel", source: "used" },
        ],
      },
    },
    {
      key: "owner",
      number: "2.",
      heading: "Ansvarig för genomförande av insatsen",
      type: "party_list",
      required: true,
      config: {
        numbering: "none",
        roles: [
          {
            role: "owner",
            organisationLabel: "Organisations namn",
            slots: 1,
            columns: [
              { column: "workplace", label: "Arbetsställets namn" },
              { column: "contactName", label: "Namn - kontaktperson för insatsägare" },
              { column: "phone", label: "Mobiltelefonnummer" },
              { column: "email", label: "E-postadress" },
              { column: "postalCode", label: "Postnummer" },
              { column: "postalAddress", label: "Postadress" },
            ],
          },
        ],
      },
    },
    {
      key: "partners",
      number: "3.",
      heading: "Samverkansparter",
      type: "party_list",
      required: true,
      config: { numbering: "none", roles: [{ role: "partner", organisationLabel: "Organisation", slots: 4 }] },
    },
    {
      key: "description",
      number: "4.",
      heading: "Insatsbeskrivning",
      type: "group",
      children: [
        free("purpose_background", "4.1", "Syfte och bakgrund till insatsen:"),
        free("target_group", "4.2", "Målgrupp för insatsen:", ["Vilka grupper/individer har omfattats av insatsen."]),
      ],
    },
    {
      key: "results",
      number: "5.",
      heading: "Resultat och utfall av insats",
      type: "group",
      children: [
        {
          key: "goals",
          number: "5.1",
          heading: "Måluppfyllelse:",
          prompts: ["Ange mål och resultat."],
          type: "goal_table",
          required: true,
          config: {
            columns: { goal: "Mål", status: "Måluppfyllelse", outcome: "Resultat" },
            statuses: [
              { status: "uppnått", label: "Uppnått" },
              { status: "delvis uppnått", label: "Delvis uppnått" },
              { status: "ej uppnått", label: "Ej uppnått" },
              { status: "struket", label: "Struket" },
              { status: "ej bedömt", label: "Ej bedömt" },
            ],
            render: "prose",
          },
        },
        free("methods", "5.2", "Arbetssätt och verksamhetsbeskrivning:", [
          "Beskriv vilka metoder/arbetssätt och vilka aktiviteter som har genomförts. Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?",
        ]),
        free("deviations", "5.3", "Avvikelser från planering (tidsplan, aktiviteter numerära mål, m.m.):", [
          "Har insatsen kunnat genomföras enligt planering? Om inte, vilka åtgärder har vidtagits? Om målet ej nåtts, vad är orsaken till detta?",
        ]),
        free("follow_up", "5.4", "Beskriv uppföljning och utvärdering av målen:", [
          "Hur har ni arbetat med uppföljning och utvärdering, samt med vilka har detta kommunicerats?",
        ]),
      ],
    },
    {
      key: "analysis",
      number: "6.",
      heading: "Analys",
      type: "group",
      children: [
        free("lessons", "6.1", "Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:"),
        free("implementation", "6.2", "Beskriv i vilken form insatsen har blivit eller kommer bli implementerad:"),
        free("user_involvement", "6.3", "Brukarmedverkan:", [
          "Beskriv hur deltagare involverats och gjorts delaktiga i insatsen, samt vilka lärdomar och erfarenheter de bidragit med.",
        ]),
        free("success_factors", "6.4", "Beskriv framgångsfaktorer/positiva effekter:"),
        free("system_errors", "6.5", "Beskriv identifierade systemfel som påverkat insatsens resultat:"),
      ],
    },
    {
      key: "funds",
      number: "7.",
      heading: "Ekonomiuppföljning utnyttjade medel",
      type: "funds_summary",
      required: true,
      config: {
        text: false,
        returned: false,
        branches: [
          {
            when: "unused_zero",
            number: "7.1",
            heading: "Beviljade medel är helt utnyttjade",
            questions: [
              {
                key: "budget_balance",
                number: "7.1.1",
                text: "Var den budget ni lagt bra avvägd i förhållande till verksamheten? Beskriv om ni skulle gjort något annorlunda i efterhand och vilken betydelse det skulle haft för insatsen.",
              },
            ],
          },
          {
            when: "unused_positive",
            number: "7.2",
            heading: "Beviljade medel är inte helt utnyttjade",
            questions: [
              {
                key: "unused_reasons",
                number: "7.2.1",
                text: "Varför utnyttjades inte beviljade insatsmedel? Berätta om de faktorer som påverkat utfallet.",
              },
            ],
          },
        ],
      },
    },
    {
      key: "informant",
      number: "8.",
      heading: "Uppgiftslämnare",
      type: "signature_block",
      required: true,
      config: {
        layout: "list",
        columns: 1,
        slots: [
          {
            role: "informant",
            lines: [
              { field: "date", label: "Datum" },
              { field: "name", label: "Namn" },
            ],
          },
        ],
        requiredSigners: "informant",
      },
    },
  ],
});
