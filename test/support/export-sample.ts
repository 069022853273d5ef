import { cell, type ExportDocument } from "../../src/platform/export/document.js";
import { formatKronor, formatPercent } from "../../src/platform/ui/format.js";

const kommuner = [
  "Ånge",
  "Örnsköldsvik",
  "Härnösand",
  "Sundsvall",
  "Kramfors",
  "Sollefteå",
  "Timrå",
  "Älvdalen",
  "Östersund",
  "Åre",
];

/** One insats row per line: enough rows that the table runs over at least two pages. */
export const sampleRowCount = 64;

/** An export with every block type and Swedish text, for renderer tests and for looking at the output by eye. */
export function sampleDocument(): ExportDocument {
  const rows = Array.from({ length: sampleRowCount }, (_, index) => {
    const kronor = 20_000 + index * 7_919;
    const name =
      index === 5
        ? "Steg för steg mot arbete – en lång insatsbeskrivning som måste radbrytas i cellen för att få plats i kolumnen"
        : `Insats ${index + 1} i ${kommuner[index % kommuner.length]}`;
    return [cell(name), cell(kommuner[index % kommuner.length]!), cell(formatKronor(kronor * 100), kronor)];
  });
  return {
    title: "Årsredovisning 2026 för Samordningsförbundet Östra Norrland",
    lang: "sv-SE",
    author: "Samordningsförbundet Östra Norrland",
    subject: "Årsredovisning",
    header: "Samordningsförbundet Östra Norrland",
    footer: "Årsredovisning 2026",
    blocks: [
      { type: "heading", level: 1, text: "Årsredovisning 2026" },
      {
        type: "paragraph",
        text: "Förbundet har under året finansierat insatser för personer som behöver samordnat stöd från flera myndigheter för att nå arbete eller studier. Ökningen av antalet deltagare är tydlig jämfört med föregående år.",
      },
      { type: "paragraph", style: "hint", text: "Beloppen avser beviljade medel i hela kronor." },
      { type: "paragraph", style: "strong", text: "Styrelsen föreslår att årets överskott förs över till nästa år." },
      { type: "heading", level: 2, text: "Förbundets uppgifter" },
      {
        type: "fields",
        rows: [
          { label: "Organisationsnummer", value: "222000-1234" },
          { label: "Säte", value: "Örnsköldsvik" },
          { label: "Totalt beviljat", value: formatKronor(197_506_800n) },
          { label: "Andel till individinsatser", value: formatPercent(0.113) },
          { label: "Granskad av", value: "" },
        ],
      },
      { type: "heading", level: 3, text: "Årets prioriteringar" },
      {
        type: "list",
        items: ["Tidiga insatser för unga", "Samverkan med vården", "Uppföljning av deltagarnas väg till arbete"],
      },
      { type: "heading", level: 4, text: "Steg i ansökan" },
      { type: "list", ordered: true, items: ["Ansökan skickas in", "Beredning", "Beslut i styrelsen"] },
      { type: "heading", level: 2, text: "Beviljade medel per insats" },
      {
        type: "table",
        caption: "Beviljade medel 2026",
        columns: [
          { header: "Insats", width: 3 },
          { header: "Kommun", width: 1.5 },
          { header: "Belopp", align: "right", width: 1.5 },
        ],
        rows,
        footerRows: [[cell("Summa"), cell(""), cell(formatKronor(197_506_800n), 1_975_068)]],
      },
      { type: "pageBreak" },
      { type: "heading", level: 2, text: "Underskrifter" },
      {
        type: "signatures",
        columns: 2,
        slots: [
          {
            lines: [
              { label: "Ort och datum", value: "Örnsköldsvik 2027-02-15" },
              { label: "Underskrift", value: "" },
              { label: "Namnförtydligande", value: "Åsa Öberg" },
            ],
          },
          {
            lines: [
              { label: "Ort och datum", value: "" },
              { label: "Underskrift", value: "" },
              { label: "Namnförtydligande", value: "Märta Ålund" },
            ],
          },
        ],
      },
    ],
  };
}
