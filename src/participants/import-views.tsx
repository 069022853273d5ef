import type { Intervention } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, CsrfField, fieldId, Select } from "../platform/ui/components.js";
import { lineOf } from "./import-participants.js";
import { type ColumnKey, type Mapping, participantColumns } from "./participant-columns.js";

/** Pages of the bulk import: choose a file, then check the column mapping and every row before importing. */

/** Identities are not shown back: the row number is enough to find the cell in the file. */
const HIDDEN_COLUMNS: readonly (ColumnKey | null)[] = ["personalNumber", "name"];

/** How many rows the preview lists: the file itself is where the user corrects them. */
export const PREVIEW_ROWS = 200;
const SAMPLE_ROWS = 20;

const fileFormat = (
  <details>
    <summary>Vilka kolumner kan filen ha?</summary>
    <p>
      Första raden är rubriker. Kolumnerna heter som i exporten av en insats deltagare; ordningen spelar ingen roll och
      rubrikerna kan ändras på nästa sida. Datum skrivs ÅÅÅÅ-MM-DD, försörjning och avslutsorsak med kod eller
      benämning, remittent med medlemmens namn.
    </p>
    <p>{participantColumns.map((column) => column.header).join(", ")}</p>
  </details>
);

function UploadForm(props: { action: string; csrfToken: string; error?: string | undefined }) {
  const id = fieldId("file");
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" aria-label="Välj fil" novalidate>
      <CsrfField token={props.csrfToken} />
      <div class={props.error ? "field field--error" : "field"}>
        <label for={id}>Fil med deltagare (CSV eller Excel)</label>
        <p class="hint" id={`${id}-hint`}>
          .csv (UTF-8, avgränsat med semikolon, komma eller tabb) eller .xlsx; första bladet läses.
        </p>
        {props.error && (
          <p class="field-error" id={`${id}-error`}>
            <span class="visually-hidden">Fel: </span>
            {props.error}
          </p>
        )}
        <input
          type="file"
          id={id}
          name="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby={props.error ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={props.error ? "true" : undefined}
        />
      </div>
      <Button>Läs in och kontrollera</Button>
    </form>
  );
}

export function UploadPage(props: {
  action: string;
  interventionPath: string;
  csrfToken: string;
  intervention: Intervention;
  error?: string | undefined;
}) {
  return (
    <div class="narrow">
      <p class="muted">
        <a href={props.interventionPath}>{props.intervention.name}</a>
      </p>
      <h1>Importera deltagare</h1>
      <p>
        Läs in många deltagare på en gång från en fil. Inget sparas förrän du har sett att varje rad går att läsa in:
        antingen läses hela filen in eller ingenting.
      </p>
      {props.error && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} data-focus-on-load>
          <h2 id="error-summary-title">Filen kunde inte läsas</h2>
          <ul>
            <li>
              <a href={`#${fieldId("file")}`}>{props.error}</a>
            </li>
          </ul>
        </div>
      )}
      <UploadForm action={props.action} csrfToken={props.csrfToken} error={props.error} />
      {fileFormat}
    </div>
  );
}

export type PreviewProps = {
  action: string;
  interventionPath: string;
  csrfToken: string;
  intervention: Intervention;
  /** The uploaded file, encrypted, so that it comes back with the mapping without being stored. */
  upload: string;
  headers: string[];
  rows: string[][];
  mapping: Mapping;
  fileErrors: string[];
  rowErrors: Map<number, FieldError[]>;
};

export const mappingField = (index: number) => `mapping.${index}`;

function Cell(props: { text: string; hidden: boolean; error: string | undefined; id: string }) {
  const shown = props.hidden && props.text !== "" ? "(dolt)" : props.text;
  if (!props.error) return <td>{shown}</td>;
  return (
    <td class="cell--error" aria-invalid="true" aria-describedby={props.id}>
      {shown}
      <p class="field-error" id={props.id}>
        <span class="visually-hidden">Fel: </span>
        {props.error}
      </p>
    </td>
  );
}

function RowsTable(props: PreviewProps & { indexes: number[]; caption: string }) {
  const { mapping } = props;
  const shownKeys = new Set(mapping.filter((key) => key !== null));
  return (
    // As wide as the file: scrolls sideways, so it takes keyboard focus to scroll without a mouse.
    <section class="table-wrapper" tabindex={0} aria-labelledby="preview-rows-caption">
      <table>
        <caption id="preview-rows-caption">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            {props.headers.map((header) => (
              <th scope="col">{header}</th>
            ))}
            {props.rowErrors.size > 0 && <th scope="col">Övriga fel</th>}
          </tr>
        </thead>
        <tbody>
          {props.indexes.map((index) => {
            const errors = props.rowErrors.get(index) ?? [];
            const errorOf = (key: ColumnKey | null) =>
              key === null
                ? undefined
                : errors
                    .filter((error) => error.path === key)
                    .map((error) => error.message)
                    .join(" ") || undefined;
            const other = errors.filter((error) => !shownKeys.has(error.path as ColumnKey));
            return (
              <tr>
                <th scope="row">{lineOf(index)}</th>
                {props.headers.map((_, column) => (
                  <Cell
                    text={props.rows[index]?.[column] ?? ""}
                    hidden={HIDDEN_COLUMNS.includes(mapping[column] ?? null)}
                    error={errorOf(mapping[column] ?? null)}
                    id={`error-${index}-${column}`}
                  />
                ))}
                {props.rowErrors.size > 0 && (
                  <td>
                    {other.map((error) => (
                      <p class="field-error">{error.message}</p>
                    ))}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const rowsWord = (count: number) => (count === 1 ? "rad" : "rader");

export function PreviewPage(props: PreviewProps) {
  const total = props.rows.length;
  const bad = [...props.rowErrors.keys()].sort((a, b) => a - b);
  const ready = props.fileErrors.length === 0 && bad.length === 0;
  const options = participantColumns.map((column) => ({ value: column.key, label: column.header }));
  const shown = bad.length > 0 ? bad.slice(0, PREVIEW_ROWS) : props.rows.slice(0, SAMPLE_ROWS).map((_, index) => index);
  return (
    <div>
      <p class="muted">
        <a href={props.interventionPath}>{props.intervention.name}</a>
      </p>
      <h1>Kontrollera importen</h1>
      {!ready && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} data-focus-on-load>
          <h2 id="error-summary-title">
            {props.fileErrors.length > 0
              ? "Kolumnerna behöver rättas"
              : `${bad.length} ${rowsWord(bad.length)} har fel`}
          </h2>
          <ul>
            {props.fileErrors.map((error) => (
              <li>{error}</li>
            ))}
            {props.fileErrors.length === 0 && (
              <li>
                Rätta raderna i filen och ladda upp den igen, eller ändra vilken kolumn en rubrik är. Inget har sparats.
              </li>
            )}
          </ul>
        </div>
      )}
      {ready && (
        <p class="notice notice--success">
          Alla {total} {rowsWord(total)} kan läsas in.
        </p>
      )}
      <form
        method="post"
        action={props.action}
        enctype="multipart/form-data"
        aria-label="Kolumner och import"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="upload" value={props.upload} />
        <fieldset>
          <legend>Vilken kolumn är varje rubrik i filen?</legend>
          {props.headers.map((header, index) => (
            <Select
              name={mappingField(index)}
              label={`Rubriken ”${header}”`}
              options={options}
              value={props.mapping[index] ?? ""}
              emptyOption="Läses inte in"
            />
          ))}
        </fieldset>
        <div class="actions">
          {ready ? (
            <Button name="step" value="commit">
              Importera {total} {rowsWord(total)}
            </Button>
          ) : null}
          <Button kind={ready ? "secondary" : "primary"} name="step" value="check">
            Kontrollera igen
          </Button>
        </div>
      </form>
      {props.fileErrors.length === 0 && (
        <RowsTable
          {...props}
          indexes={shown}
          caption={
            bad.length > 0
              ? `Rader med fel${bad.length > shown.length ? ` (de första ${shown.length} av ${bad.length})` : ""}`
              : `De första ${shown.length} av ${total} ${rowsWord(total)}`
          }
        />
      )}
      <h2>Ladda upp en rättad fil</h2>
      <UploadForm action={props.action} csrfToken={props.csrfToken} />
    </div>
  );
}
