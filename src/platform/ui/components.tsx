import type { Child } from "hono/jsx";
import type { FieldError } from "../http/errors.js";
import { formatKronor } from "./format.js";

export const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

export function errorFor(errors: FieldError[] | undefined, name: string): string | undefined {
  return errors?.find((error) => error.path === name)?.message;
}

/** GOV.UK-style summary at the top of a form; each error links to its field. */
export function ErrorSummary({ errors }: { errors: FieldError[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} data-focus-on-load>
      <h2 id="error-summary-title">Det finns fel som behöver rättas</h2>
      <ul>
        {errors.map((error) => (
          <li>
            <a href={`#${fieldId(error.path)}`}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type FrameProps = {
  name: string;
  label: string;
  errors?: FieldError[] | undefined;
  hint?: string | undefined;
  required?: boolean | undefined;
};

type ControlAttributes = { id: string; "aria-describedby"?: string; "aria-invalid"?: "true" };

/** Label, hint and error around one control, wired together with for/id and aria-describedby. */
function FieldFrame(props: FrameProps & { control: (attributes: ControlAttributes) => Child }) {
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.name);
  const describedBy = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div class={error ? "field field--error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? null : <span class="optional"> (frivilligt)</span>}
      </label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Fel: </span>
          {error}
        </p>
      )}
      {props.control({
        id,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(error ? { "aria-invalid": "true" as const } : {}),
      })}
    </div>
  );
}

type FieldProps = FrameProps & {
  value?: string | number | undefined;
  type?: "text" | "email" | "password" | "number" | "date" | "search";
  autocomplete?: string;
  inputmode?: "decimal" | "numeric";
  width?: "short" | "medium";
};

export function Field(props: FieldProps) {
  return (
    <FieldFrame
      {...props}
      control={(attributes) => (
        <input
          {...attributes}
          name={props.name}
          type={props.type ?? "text"}
          value={props.value === undefined ? undefined : String(props.value)}
          required={props.required}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          class={props.width ? `input--${props.width}` : undefined}
        />
      )}
    />
  );
}

/** A calendar date: the browser's date picker where there is one, otherwise typed as ÅÅÅÅ-MM-DD. */
export function DateField(props: FrameProps & { value?: string | undefined }) {
  return <Field {...props} type="date" hint={props.hint ?? "ÅÅÅÅ-MM-DD"} width="medium" />;
}

export function TextArea(props: FrameProps & { value?: string | undefined; rows?: number }) {
  return (
    <FieldFrame
      {...props}
      control={(attributes) => (
        <textarea {...attributes} name={props.name} rows={props.rows ?? 4} required={props.required}>
          {props.value ?? ""}
        </textarea>
      )}
    />
  );
}

type SelectProps = FrameProps & {
  options: readonly { value: string; label: string }[];
  value?: string | undefined;
  /** Shown first with an empty value, e.g. "Alla" in a filter. */
  emptyOption?: string;
};

export function Select(props: SelectProps) {
  return (
    <FieldFrame
      {...props}
      control={(attributes) => (
        <select {...attributes} name={props.name} required={props.required}>
          {props.emptyOption !== undefined && <option value="">{props.emptyOption}</option>}
          {props.options.map((option) => (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A form that posts; every state change in the UI goes through one, so it works without JavaScript. */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  children?: Child;
  class?: string;
  label?: string;
}) {
  return (
    <form method="post" action={props.action} class={props.class} aria-label={props.label} novalidate>
      <CsrfField token={props.csrfToken} />
      {props.children}
    </form>
  );
}

export function Button(props: {
  children: Child;
  kind?: "primary" | "secondary" | "danger";
  name?: string;
  value?: string;
}) {
  return (
    <button type="submit" class={`button button--${props.kind ?? "primary"}`} name={props.name} value={props.value}>
      {props.children}
    </button>
  );
}

/** A one-button form in a table row; the button names its row for screen readers ("Ta bort Eva Exempelsson"). */
export function RowAction(props: {
  action: string;
  csrfToken: string;
  label: string;
  object: string;
  kind?: "secondary" | "danger";
}) {
  return (
    <PostForm
      action={props.action}
      csrfToken={props.csrfToken}
      class="inline-form"
      label={`${props.label} ${props.object}`}
    >
      <Button kind={props.kind ?? "danger"}>
        {props.label}
        <span class="visually-hidden"> {props.object}</span>
      </Button>
    </PostForm>
  );
}

/** Amounts per label (year, kostnadsslag) with their computed Summa: the one shape of every such money table. */
export function AmountTable(props: {
  caption?: string;
  labelHeader: string;
  amountHeader: string;
  rows: readonly { label: string | number; ore: bigint }[];
}) {
  const total = props.rows.reduce((sum, row) => sum + row.ore, 0n);
  return (
    <div class="table-wrapper">
      <table>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{props.labelHeader}</th>
            <th scope="col" class="numeric">
              {props.amountHeader}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <th scope="row">{row.label}</th>
              <td class="numeric">{formatKronor(row.ore)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Summa</th>
            <td class="numeric">{formatKronor(total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
