import { type TemplateVersion, templateVersion } from "../template-model.js";
import { freeText } from "./free-text.js";

/**
 * Samordningsförbundet Uppsala län, 2017: a two-column form (prompt cell, answer cell) without numbers, prompts P1–P24
 * in the order of its fullest copies (UL-8, UL-9), with their wording: "var är orsak till detta?" (P5) and
 * "insatsen genomförande" (P8) as printed there.
 *
 * The blank form is headed "Mall för slutrapport samverkansinsatser inom samordningsförbundet"; a report made from it
 * is not a mall, and the reports that retitled themselves printed "Slutrapport samverkansinsatser inom
 * samordningsförbundet" (UL-1, UL-6), so that is the title.
 */
const free = (key: string, heading: string, required = true) => freeText(key, { heading, required });

const signer = (role: "owner" | "partner", word: string) => ({
  role,
  lines: [
    { field: "place_date", label: "Ort och datum" },
    { field: "name", label: `${word} (namn)` },
    { field: "name_clarification", label: `${word} (namnförtydligande)` },
  ],
});

export const uppsalaLan2017: TemplateVersion = templateVersion.parse({
  key: "uppsala-lan/slutrapport-samverkansinsatser-2017",
  association: "Samordningsförbundet Uppsala län",
  title: "Slutrapport samverkansinsatser inom samordningsförbundet",
  kind: "slutrapport",
  sections: [
    {
      key: "name",
      heading: "Insatsens namn",
      type: "field_group",
      config: { layout: "inline", fields: [{ key: "name", kind: "text", source: "name" }] },
    },
    {
      key: "parties",
      heading: "Insatsägare/Samverkansparter",
      type: "party_list",
      required: true,
      config: {
        numbering: "numbered",
        roles: [
          {
            role: "owner",
            organisationLabel: "Organisation:",
            slots: 1,
            columns: [{ column: "contactName", label: "Kontaktperson:" }],
          },
          {
            role: "partner",
            organisationLabel: "Organisation:",
            slots: 3,
            columns: [{ column: "contactName", label: "Kontaktperson:" }],
          },
        ],
      },
    },
    free("purpose", "Beskriv syftet med insatsen:"),
    {
      key: "goals",
      heading: "Beskriv målen med insatsen samt utfall/resultat:",
      type: "goal_table",
      required: true,
      config: {
        columns: { goal: "Mål", status: "Måluppfyllelse", outcome: "Utfall/resultat" },
        statuses: [
          { status: "uppnått", label: "Uppnått" },
          { status: "delvis uppnått", label: "Delvis uppnått" },
          { status: "ej uppnått", label: "Ej uppnått" },
          { status: "struket", label: "Struket" },
          { status: "ej bedömt", label: "Ej bedömt" },
        ],
        render: "paragraphs",
      },
    },
    free("goals_not_reached", "Om målen ej nåtts, var är orsak till detta?"),
    {
      key: "gender_equality",
      heading: "Påverkas utfall/resultat av ett jämställdhetsperspektiv?",
      type: "gender_equality",
      required: true,
      config: { statsSection: "participants" },
    },
    free("background", "Beskriv bakgrunden till/behovet av insatsen"),
    free("need_changed", "Har detta behov förändrats i och med insatsen genomförande?"),
    {
      key: "period",
      heading: "Insatstid",
      type: "field_group",
      config: {
        layout: "stacked",
        fields: [
          {
            key: "period",
            kind: "date_range",
            source: "period",
            rendering: { style: "split", startLabel: "Startdatum:", endLabel: "Slutdatum:" },
          },
        ],
      },
    },
    {
      key: "intake_end",
      heading: "Eventuellt slutdatum för intag av deltagare i insatsen:",
      type: "field_group",
      config: { layout: "inline", fields: [{ key: "intake_end", kind: "date", source: "intake_end" }] },
    },
    free("target_group", "Beskriv målgrupp för insatsen"),
    {
      key: "participants",
      heading: "Ange antal deltagare som deltagit i insatsen (ifall detta ej angivits under mål ovan):",
      type: "participant_stats",
      config: { outcomes: [{ key: "participants", label: "Deltagare" }], render: "total" },
    },
    free("methods", "Beskriv metod/metoder ni använt och aktiviteter som skett:"),
    free(
      "methods_as_planned",
      "Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?",
    ),
    free("follow_up", "Beskriv uppföljning och utvärdering av målen:"),
    free(
      "follow_up_how",
      "Hur har ni arbetat med uppföljning och utvärdering samt till vilka har detta kommunicerats?",
    ),
    free(
      "implementation",
      "Beskriv hur insatsen kommer att implementeras (organisatoriskt, finansiellt och innehållsmässigt):",
    ),
    free("implementation_discussion", "När och med vilka har diskussion kring implementering förts?"),
    {
      key: "funds",
      heading: "Redogör för utfall av budget/finansiering:",
      type: "funds_summary",
      required: true,
      config: {
        text: true,
        returned: false,
        branches: [
          {
            when: "unused_positive",
            questions: [
              { key: "returned_reasons", text: "Ifall medel har återförts till förbundet, vad har detta för orsaker?" },
              {
                key: "returned_consequences",
                text: "Ifall medel har återförts till förbundet, vad har detta fått för konsekvenser för innehållet och utfallet av insatsen?",
              },
            ],
          },
        ],
      },
    },
    free("lessons", "Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:"),
    {
      ...free("lessons_per_party", "Vilka lärdomar och erfarenheter har respektive samverkanspart erhållit?"),
      config: { perParty: true },
    },
    {
      key: "signatures",
      heading: "Underskrifter",
      type: "signature_block",
      required: true,
      config: {
        layout: "grid",
        columns: 2,
        slots: [
          signer("owner", "Insatsägare"),
          ...Array.from({ length: 4 }, () => signer("partner", "Samverkanspart")),
        ],
        requiredSigners: "all_parties",
      },
    },
  ],
});
