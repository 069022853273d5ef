import type { CostCategory, InterventionGoal } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import {
  Button,
  DateField,
  ErrorSummary,
  Field,
  PostForm,
  RowAction,
  Select,
  TextArea,
} from "../platform/ui/components.js";
import { formatDateTime, formatKronor } from "../platform/ui/format.js";
import { goalLevelNames, goalLevels, goalStatusNames } from "./application-input.js";
import { costCategories, costCategoryNames } from "./cost-categories.js";
import type { findIntervention, listBudget, listComments, listGoalRevisions } from "./repository.js";

type Detail = NonNullable<Awaited<ReturnType<typeof findIntervention>>>;
type BudgetRow = Awaited<ReturnType<typeof listBudget>>[number];
type Revision = Awaited<ReturnType<typeof listGoalRevisions>>[number];
type Comment = Awaited<ReturnType<typeof listComments>>[number];

export type Application = {
  goals: InterventionGoal[];
  revisions: Revision[];
  budget: BudgetRow[];
  comments: Comment[];
};

const levelOptions = goalLevels.map((level) => ({ value: level, label: goalLevelNames[level] }));
const changeNames = { added: "Tillagt", changed: "Ändrat", struck: "Struket" } as const;

export const budgetFieldName = (year: number, category: CostCategory) => `budget-${year}-${category}`;

const target = (goal: { target_value: number | null; unit: string | null }) =>
  goal.target_value === null ? "–" : [goal.target_value, goal.unit].filter((part) => part !== null).join(" ");

const planned = (intervention: Detail) => {
  const counts = [intervention.planned_women, intervention.planned_men, intervention.planned_gender_unknown];
  if (counts.every((count) => count === null)) return "–";
  const total = counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
  return `${total} (kvinnor ${intervention.planned_women ?? 0}, män ${intervention.planned_men ?? 0}, annat eller uppgift saknas ${intervention.planned_gender_unknown ?? 0})`;
};

/** Keeps the writer's line breaks: applications are written as paragraphs. */
const Prose = ({ text }: { text: string | null }) => (text ? <div class="prose">{text}</div> : <>–</>);

export function ApplicationSections(props: {
  path: string;
  csrfToken: string;
  intervention: Detail;
  application: Application;
  /** The application may be changed: a draft by its owner, anything by staff. */
  mayEdit: boolean;
  /** Granted goals change only by revision, which staff record. */
  mayRevise: boolean;
  errors?: FieldError[] | undefined;
  values?: Record<string, string> | undefined;
}) {
  const { intervention, application, path } = props;
  const budgetYears = [...new Set(application.budget.map((line) => line.year))];
  const amount = (year: number, category: CostCategory) =>
    application.budget.find((line) => line.year === year && line.cost_category === category)?.amount_ore ?? 0n;
  const yearTotal = (year: number) => costCategories.reduce((sum, category) => sum + amount(year, category), 0n);
  const categoryTotal = (category: CostCategory) => budgetYears.reduce((sum, year) => sum + amount(year, category), 0n);
  const budgetTotal = application.budget.reduce((sum, line) => sum + line.amount_ore, 0n);
  const mayDraftGoals = props.mayEdit && !props.mayRevise;
  const mayChangeGoals = mayDraftGoals || props.mayRevise;
  return (
    <>
      <section aria-labelledby="application-heading">
        <h2 id="application-heading">Ansökan</h2>
        <dl class="summary-list">
          <dt>Bakgrund och behov</dt>
          <dd>
            <Prose text={intervention.background} />
          </dd>
          <dt>Syfte</dt>
          <dd>
            <Prose text={intervention.purpose} />
          </dd>
          <dt>Metod och aktiviteter</dt>
          <dd>
            <Prose text={intervention.method} />
          </dd>
          <dt>Planerat antal deltagare</dt>
          <dd>{planned(intervention)}</dd>
        </dl>
      </section>

      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">Mål</h2>
        {application.goals.length === 0 ? (
          <p>Inga mål är angivna.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Insatsens mål</caption>
              <thead>
                <tr>
                  <th scope="col">Nivå</th>
                  <th scope="col">Mål</th>
                  <th scope="col">Målvärde</th>
                  <th scope="col">Status</th>
                  {mayChangeGoals && <th scope="col">Åtgärd</th>}
                </tr>
              </thead>
              <tbody>
                {application.goals.map((goal) => (
                  <tr>
                    <td>{goalLevelNames[goal.level]}</td>
                    <th scope="row" class={goal.status === "struck" ? "struck" : undefined}>
                      {goal.text}
                    </th>
                    <td>{target(goal)}</td>
                    <td>{goalStatusNames[goal.status]}</td>
                    {mayChangeGoals && (
                      <td>
                        {goal.status !== "struck" && (
                          <a href={`${path}/goals/${goal.id}`}>
                            {props.mayRevise ? "Revidera" : "Ändra"}
                            <span class="visually-hidden"> {goal.text}</span>
                          </a>
                        )}
                        {mayDraftGoals && (
                          <RowAction
                            action={`${path}/goals/${goal.id}/delete`}
                            csrfToken={props.csrfToken}
                            label="Ta bort"
                            object={goal.text}
                          />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {mayChangeGoals && (
          <details open={props.errors?.some((error) => error.path === "text" || error.path === "reason")}>
            <summary>Lägg till mål</summary>
            <PostForm action={`${path}/goals`} csrfToken={props.csrfToken} label="Lägg till mål">
              <GoalFields values={props.values ?? {}} errors={props.errors} />
              {props.mayRevise && <RevisionFields values={props.values ?? {}} errors={props.errors} />}
              <Button kind="secondary">Lägg till mål</Button>
            </PostForm>
          </details>
        )}
        {application.revisions.length > 0 && (
          <div class="table-wrapper">
            <table>
              <caption>Revideringar av målen</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Mål</th>
                  <th scope="col">Ändring</th>
                  <th scope="col">Skäl</th>
                  <th scope="col">Beslut</th>
                </tr>
              </thead>
              <tbody>
                {application.revisions.map((revision) => (
                  <tr>
                    <td>{revision.revised_on}</td>
                    <td>
                      {revision.goal_text}
                      {revision.previous_text && revision.previous_text !== revision.goal_text && (
                        <span class="muted"> (tidigare: {revision.previous_text})</span>
                      )}
                    </td>
                    <td>{changeNames[revision.change]}</td>
                    <td>{revision.reason}</td>
                    <td>{revision.decision_reference ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="budget-heading">
        <h2 id="budget-heading">Budget</h2>
        {application.budget.length === 0 ? (
          <p>Ingen budget är angiven.</p>
        ) : (
          <div class="table-wrapper">
            <table>
              <caption class="visually-hidden">Budget per kostnadsslag och år</caption>
              <thead>
                <tr>
                  <th scope="col">Kostnadsslag</th>
                  {budgetYears.map((year) => (
                    <th scope="col" class="numeric">
                      {year}
                    </th>
                  ))}
                  <th scope="col" class="numeric">
                    Summa
                  </th>
                </tr>
              </thead>
              <tbody>
                {costCategories.map((category) => (
                  <tr>
                    <th scope="row">{costCategoryNames[category]}</th>
                    {budgetYears.map((year) => (
                      <td class="numeric">{formatKronor(amount(year, category))}</td>
                    ))}
                    <td class="numeric">{formatKronor(categoryTotal(category))}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Summa</th>
                  {budgetYears.map((year) => (
                    <td class="numeric">{formatKronor(yearTotal(year))}</td>
                  ))}
                  <td class="numeric">{formatKronor(budgetTotal)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        {props.mayEdit && (
          <p>
            <a href={`${path}/budget`}>Ändra budget</a>
          </p>
        )}
      </section>

      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">Kommentarer</h2>
        {application.comments.length === 0 ? (
          <p>Inga kommentarer ännu.</p>
        ) : (
          <ol class="comments">
            {application.comments.map((comment) => (
              <li>
                <p class="muted">
                  {comment.written_by_label}, {formatDateTime(comment.written_at)}
                </p>
                <div class="prose">{comment.body}</div>
              </li>
            ))}
          </ol>
        )}
        <PostForm action={`${path}/comments`} csrfToken={props.csrfToken} label="Skriv en kommentar">
          <TextArea
            name="body"
            label="Ny kommentar"
            hint="Syns för förbundets tjänstepersoner och insatsägarens kontaktpersoner."
            required
            errors={props.errors}
          />
          <Button kind="secondary">Skicka kommentar</Button>
        </PostForm>
      </section>
    </>
  );
}

function GoalFields(props: { values: Record<string, string>; errors?: FieldError[] | undefined }) {
  return (
    <>
      <Select
        name="level"
        label="Nivå"
        required
        options={levelOptions}
        value={props.values.level}
        errors={props.errors}
        emptyOption="Välj nivå"
      />
      <TextArea name="text" label="Mål" required value={props.values.text} errors={props.errors} rows={3} />
      <Field
        name="targetValue"
        label="Målvärde"
        hint="För mätbara mål: ett heltal, t.ex. 40."
        value={props.values.targetValue}
        errors={props.errors}
        inputmode="numeric"
        width="short"
      />
      <Field
        name="unit"
        label="Enhet"
        hint="T.ex. procent, deltagare, möten."
        value={props.values.unit}
        errors={props.errors}
        width="medium"
      />
    </>
  );
}

function RevisionFields(props: { values: Record<string, string>; errors?: FieldError[] | undefined }) {
  return (
    <fieldset>
      <legend>Revidering</legend>
      <p class="hint">Insatsen är beviljad: varje ändring av målen registreras med datum, skäl och beslut.</p>
      <DateField name="revisedOn" label="Datum" required value={props.values.revisedOn} errors={props.errors} />
      <TextArea name="reason" label="Skäl" required value={props.values.reason} errors={props.errors} rows={2} />
      <Field
        name="decisionReference"
        label="Beslut"
        hint="T.ex. styrelsen 2026-03-28 § 12."
        value={props.values.decisionReference}
        errors={props.errors}
      />
    </fieldset>
  );
}

export function GoalFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Detail;
  goal: InterventionGoal;
  revise: boolean;
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const action = `${props.path}/goals/${props.goal.id}`;
  return (
    <div class="narrow">
      <h1>
        {props.revise ? "Revidera mål" : "Ändra mål"}: {props.intervention.name}
      </h1>
      <ErrorSummary errors={props.errors} />
      <PostForm action={action} csrfToken={props.csrfToken} label={props.revise ? "Revidera mål" : "Ändra mål"}>
        <GoalFields values={props.values} errors={props.errors} />
        {props.revise && <RevisionFields values={props.values} errors={props.errors} />}
        <Button>Spara</Button> <a href={props.path}>Avbryt</a>
      </PostForm>
      {props.revise && (
        <section aria-labelledby="strike-heading">
          <h2 id="strike-heading">Stryk målet</h2>
          <p>Ett struket mål finns kvar i historiken och redovisas som struket i slutrapporten.</p>
          <PostForm action={`${action}/strike`} csrfToken={props.csrfToken} label="Stryk målet">
            <RevisionFields values={{}} errors={undefined} />
            <Button kind="danger">Stryk målet</Button>
          </PostForm>
        </section>
      )}
    </div>
  );
}

export function BudgetFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Detail;
  years: number[];
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  return (
    <div class="narrow">
      <h1>Budget: {props.intervention.name}</h1>
      <p>Sökta medel per kostnadsslag och år av insatstiden, i hela kronor. Lämna tomt där inget budgeteras.</p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${props.path}/budget`} csrfToken={props.csrfToken} label="Budget">
        {props.years.map((year) => (
          <fieldset>
            <legend>{year}</legend>
            {costCategories.map((category) => (
              <Field
                name={budgetFieldName(year, category)}
                label={`${costCategoryNames[category]}, kronor`}
                value={props.values[budgetFieldName(year, category)]}
                errors={props.errors}
                inputmode="numeric"
                width="medium"
              />
            ))}
          </fieldset>
        ))}
        <Button>Spara</Button> <a href={props.path}>Avbryt</a>
      </PostForm>
    </div>
  );
}

/** Granted money per year of the insatstid, as the grants form and the decision form both ask for it. */
export function GrantFields(props: {
  years: number[];
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  return (
    <>
      {props.years.map((year) => (
        <Field
          name={`year-${year}`}
          label={`${year}, kronor`}
          value={props.values[`year-${year}`]}
          errors={props.errors}
          inputmode="numeric"
          width="medium"
        />
      ))}
    </>
  );
}

export function DecisionFormPage(props: {
  path: string;
  csrfToken: string;
  intervention: Detail;
  years: number[];
  values: Record<string, string>;
  errors?: FieldError[] | undefined;
}) {
  const { values, errors } = props;
  return (
    <div class="narrow">
      <h1>Beslut: {props.intervention.name}</h1>
      <p>Registrera styrelsens beslut om ansökan. Insatsägaren ser beslutet och, vid avslag, motiveringen.</p>
      <ErrorSummary errors={errors} />
      <PostForm action={`${props.path}/decision`} csrfToken={props.csrfToken} label="Beslut">
        <Select
          name="outcome"
          label="Beslut"
          required
          options={[
            { value: "granted", label: "Bevilja" },
            { value: "rejected", label: "Avslå" },
          ]}
          value={values.outcome}
          errors={errors}
          emptyOption="Välj beslut"
        />
        <Field
          name="decisionSection"
          label="Paragraf"
          required
          hint="T.ex. § 42."
          value={values.decisionSection}
          errors={errors}
          width="short"
        />
        <DateField name="decisionDate" label="Beslutsdatum" required value={values.decisionDate} errors={errors} />
        <DateField name="startDate" label="Startdatum" required value={values.startDate} errors={errors} />
        <DateField name="endDate" label="Slutdatum" required value={values.endDate} errors={errors} />
        <fieldset>
          <legend>Beviljade medel (vid bifall)</legend>
          <p class="hint">Hela kronor per år av insatstiden. Lämna tomt för år utan medel.</p>
          <GrantFields years={props.years} values={values} errors={errors} />
        </fieldset>
        <TextArea name="conditions" label="Villkor" value={values.conditions} errors={errors} />
        <TextArea
          name="motivation"
          label="Motivering (vid avslag)"
          hint="Krävs vid avslag. Visas för insatsägaren."
          value={values.motivation}
          errors={errors}
        />
        <Button>Registrera beslut</Button> <a href={props.path}>Avbryt</a>
      </PostForm>
    </div>
  );
}
