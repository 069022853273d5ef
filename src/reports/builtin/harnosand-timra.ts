import { type TemplateVersion, templateVersion } from "../template-model.js";
import { freeText } from "./free-text.js";

/**
 * Samordningsförbundet Härnösand-Timrå, "Slutrapport", numbered 1–7: the later revision, whose contact block names
 * the förbundschef (HT-3, HT-5) where the earlier one said "Verkställande tjänsteman", with three medsökande slots.
 * Printed misspellings stay: "Arbetsätt" (4.2) and the table header "Kostnadslag" (section 6, in every copy of the
 * form except HT-1, where the applicant corrected it).
 */
const free = (key: string, number: string, heading: string, prompts: string[] = []) =>
  freeText(key, { number, heading, prompts });

export const harnosandTimra: TemplateVersion = templateVersion.parse({
  key: "harnosand-timra/slutrapport",
  association: "Samordningsförbundet Härnösand-Timrå",
  title: "Slutrapport",
  kind: "slutrapport",
  sections: [
    {
      key: "instructions",
      type: "static_text",
      config: {
        placement: "cover",
        paragraphs: [
          "Denna mall ska användas vid slutrapportering av insatser finansierade av Samordningsförbundet Härnösand-Timrå. Slutrapporten ska sammanställas och redovisas till förbundet enligt avtal.",
        ],
      },
    },
    {
      key: "contact",
      heading: "Kontaktuppgifter till förbundet:",
      type: "static_text",
      config: {
        placement: "cover",
        contactBlock: {
          contacts: [{ title: "förbundschef" }],
          fields: ["name", "title", "association", "postal_address", "email"],
        },
      },
    },
    {
      key: "intervention",
      number: "1.",
      heading: "Insatsen",
      type: "field_group",
      config: {
        layout: "inline",
        fields: [
          { key: "name", kind: "text", label: "Insatsens namn:", source: "name" },
          {
            key: "period",
            kind: "date_range",
            label: "Tidsperiod:",
            source: "period",
            rendering: { style: "single", format: "{start}—{end}" },
          },
          { key: "granted", kind: "money", label: "Beviljat medel:", source: "granted" },
        ],
      },
    },
    {
      key: "parties",
      number: "2.",
      heading: "Följande förbundsmedlemmar har sökt medel",
      type: "party_list",
      required: true,
      config: {
        numbering: "none",
        roles: [
          {
            role: "owner",
            organisationLabel: "Ansvarig för genomförande av insats - Organisation",
            slots: 1,
            columns: [
              { column: "contactName", label: "Kontaktperson för insatsägare" },
              { column: "email", label: "E-post" },
            ],
          },
          {
            role: "partner",
            organisationLabel: "Organisation - medsökande",
            slots: 3,
            columns: [
              { column: "contactName", label: "Kontaktperson" },
              { column: "email", label: "E-post" },
            ],
          },
        ],
      },
    },
    {
      key: "description",
      number: "3.",
      heading: "Insatsbeskrivning",
      type: "group",
      children: [
        free("background", "3.1", "Bakgrund till insatsen"),
        free(
          "purpose",
          "3.2",
          "Syfte med insatsen. Beskriv kortfattat vilken förändring som ville uppnås med insatsen?",
        ),
        free("target_group", "3.3", "Målgruppen för insatsen"),
      ],
    },
    {
      key: "results",
      number: "4.",
      heading: "Resultat och utfall av insatsen",
      type: "group",
      children: [
        {
          key: "goals",
          number: "4.1",
          heading: "Insatsens mål",
          prompts: ["Ange uppsatta mål för insatsen"],
          type: "goal_table",
          required: true,
          config: {
            columns: {
              goal: "4.1 Insatsens mål Ange uppsatta mål för insatsen",
              status: "Har målet uppnåtts? Ja eller nej",
              outcome: "Utfall/resultat för respektive mål",
            },
            headingInTable: true,
            statuses: [
              { status: "uppnått", label: "Ja" },
              { status: "ej uppnått", label: "Nej" },
            ],
            render: "table",
          },
        },
        free("methods", "4.2", "Arbetsätt och verksamhetsbeskrivning för insatsen"),
        free("deviations", "4.3", "Avvikelser från planering (avseende ekonomi, tidsplan, aktiviteter mål mm)"),
        free("follow_up", "4.4", "Beskriv uppföljning och utvärdering av målen", [
          "Hur har arbetet med uppföljning och utvärdering genomförts och med vilka har det kommunicerats?",
        ]),
      ],
    },
    {
      key: "analysis",
      number: "5.",
      heading: "Analys",
      type: "group",
      children: [
        free(
          "effects",
          "5.1",
          "Vilka effekter för insatsens aktuella parter, har insatsen bidragit till? Har insatsen påverkat befintliga verksamheter? T ex, har behovet av offentlig försörjning minskat? Har antalet besök vid primärvård, socialtjänst m.fl. minskat? Har det uppstått några nya behov?",
        ),
        free("cooperation", "5.2", "Hur har insatsen medfört förbättrad samverkan mellan insatsens aktuella parter?"),
        {
          ...free("lessons", "5.3", "Beskriv tillvaratagna erfarenheter och lärdomar från insatsen", [
            "Vilka lärdomar och erfarenheter har respektive samverkanspart erhållit? Vad har gått bra och mindre bra i arbetet?",
          ]),
          config: { perParty: true },
        },
        free(
          "implementation",
          "5.4",
          "Beskriv på vilket sätt lärdomar av insatsen kommer att implementeras (organisatoriskt, finansiellt och innehållsmässigt)",
        ),
        free("system_errors", "5.5", "Beskriv eventuella identifierade systemfel som påverkat utfall och resultat"),
      ],
    },
    {
      key: "costs",
      number: "6.",
      heading: "Ekonomisk rapport",
      prompts: [
        "Redovisa era totala kostnader för insatsen enligt nedan. Ifall inte allt beviljat medel har använts vad var orsaken och om det haft konsekvenser för innehåll och utfall av insatsen",
      ],
      type: "cost_table",
      required: true,
      config: {
        categoryHeader: "Kostnadslag",
        columns: [
          { column: "budget", label: "Budget" },
          { column: "outcome", label: "Utfall" },
        ],
        rows: [
          { key: "activities", label: "Aktiviteter", hint: "(ange typ av aktivitet t ex. möte, seminarier mm)" },
          { key: "external_services", label: "Externa tjänster", hint: "(typ av köpt tjänst)" },
          { key: "salaries", label: "Lönekostnader" },
          { key: "premises", label: "Lokalkostnader" },
          { key: "material", label: "Material", hint: "(ange typ av material)" },
          { key: "travel", label: "Resekostnader", hint: "(ange typ av aktivitet)" },
          { key: "other", label: "Övriga kostnader", hint: "(ange typ av övriga kostnader)" },
        ],
        totalLabel: "Summa",
      },
    },
    {
      key: "signatures",
      number: "7.",
      heading: "Underskrifter",
      type: "signature_block",
      required: true,
      config: {
        layout: "list",
        columns: 1,
        slots: Array.from({ length: 4 }, () => ({
          role: "party",
          lines: [
            { field: "organisation", label: "Organisation:" },
            { field: "place_date", label: "Ort och datum:" },
            { field: "name", label: "Underskrift" },
          ],
        })),
        requiredSigners: "all_parties",
      },
    },
  ],
});
