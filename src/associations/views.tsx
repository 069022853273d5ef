import type { Member } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, ErrorSummary, Field, PostForm, Select } from "../platform/ui/components.js";
import { formatBasisPoints } from "../platform/ui/format.js";
import {
  type FundingShareCheck,
  fundingGroups,
  memberTypeNames,
  memberTypes,
  percentText,
  shareOfGroup,
} from "./funding-shares.js";

const typeOptions = memberTypes.map((type) => ({ value: type, label: memberTypeNames[type] }));

export function MembersPage(props: {
  base: string;
  members: Member[];
  check: FundingShareCheck;
  canWrite: boolean;
  csrfToken: string;
}) {
  const groupTotal = (type: Member["type"]) =>
    props.check.groups.find((group) => fundingGroups.find((g) => g.key === group.key)?.types.includes(type))?.actual ??
    0;
  return (
    <>
      <h1>Medlemmar</h1>
      <p>
        Förbundets medlemmar och deras andel av medlemsbidragen. Enligt lagen (2003:1210) betalar staten hälften,
        regionen en fjärdedel och kommunerna tillsammans en fjärdedel.
      </p>
      {props.canWrite && (
        <p class="actions">
          <a class="button button--primary" href={`${props.base}/members/new`}>
            Lägg till medlem
          </a>{" "}
          {props.members.length > 0 && (
            <a class="button button--secondary" href={`${props.base}/funding-shares`}>
              Ändra andelar
            </a>
          )}
        </p>
      )}
      {props.members.length === 0 ? (
        <p>Inga medlemmar är registrerade ännu.</p>
      ) : (
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Medlemmar och andelar</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Typ</th>
                <th scope="col">Organisationsnummer</th>
                <th scope="col" class="numeric">
                  Andel av bidragen
                </th>
                <th scope="col" class="numeric">
                  Andel inom gruppen
                </th>
                {props.canWrite && <th scope="col">Åtgärd</th>}
              </tr>
            </thead>
            <tbody>
              {props.members.map((member) => (
                <tr>
                  <th scope="row">{member.name}</th>
                  <td>{memberTypeNames[member.type]}</td>
                  <td>{member.organisation_number ?? "–"}</td>
                  <td class="numeric">{formatBasisPoints(member.funding_share_basis_points)}</td>
                  <td class="numeric">
                    {formatBasisPoints(
                      Math.round(shareOfGroup(member.funding_share_basis_points, groupTotal(member.type)) * 10000),
                    )}
                  </td>
                  {props.canWrite && (
                    <td>
                      <a href={`${props.base}/members/${member.id}/edit`}>
                        Ändra<span class="visually-hidden"> {member.name}</span>
                      </a>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FundingSplit check={props.check} />
    </>
  );
}

export function FundingSplit({ check }: { check: FundingShareCheck }) {
  return (
    <section aria-labelledby="split-heading">
      <h2 id="split-heading">Fördelning enligt lagen</h2>
      <div class="table-wrapper">
        <table>
          <thead>
            <tr>
              <th scope="col">Grupp</th>
              <th scope="col" class="numeric">
                Ska vara
              </th>
              <th scope="col" class="numeric">
                Är
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {check.groups.map((group) => (
              <tr>
                <th scope="row">{group.label}</th>
                <td class="numeric">{formatBasisPoints(group.required)}</td>
                <td class="numeric">{formatBasisPoints(group.actual)}</td>
                <td>{group.ok ? "Stämmer" : "Stämmer inte"}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Summa</th>
              <td class="numeric">100,00&nbsp;%</td>
              <td class="numeric">{formatBasisPoints(check.total)}</td>
              <td>{check.total === 10000 ? "Stämmer" : "Stämmer inte"}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {!check.ok && (
        <div class="notice" role="status">
          <p>Andelarna följer inte lagens fördelning ännu:</p>
          <ul>
            {check.problems.map((problem) => (
              <li>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export function MemberFormPage(props: {
  base: string;
  csrfToken: string;
  member?: Member;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const values = props.values ?? (props.member ? memberValues(props.member) : {});
  const action = props.member ? `${props.base}/members/${props.member.id}` : `${props.base}/members`;
  return (
    <div class="narrow">
      <h1>{props.member ? `Ändra ${props.member.name}` : "Lägg till medlem"}</h1>
      <ErrorSummary errors={props.errors} />
      <PostForm action={action} csrfToken={props.csrfToken}>
        <Field
          name="name"
          label="Namn"
          required
          value={values.name}
          errors={props.errors}
          hint="T.ex. Försäkringskassan eller Exempelby kommun."
        />
        <Select
          name="type"
          label="Typ"
          required
          options={typeOptions}
          value={values.type}
          errors={props.errors}
          emptyOption="Välj typ"
        />
        <Field
          name="organisationNumber"
          label="Organisationsnummer"
          value={values.organisationNumber}
          errors={props.errors}
          width="medium"
        />
        <Field
          name="fundingShare"
          label="Andel av medlemsbidragen i procent"
          hint="Med högst två decimaler, t.ex. 12,5. Alla andelar kan också ändras samtidigt under Ändra andelar."
          value={values.fundingShare}
          errors={props.errors}
          inputmode="decimal"
          width="short"
        />
        <Button>Spara</Button> <a href={`${props.base}/members`}>Avbryt</a>
      </PostForm>
      {props.member && (
        <PostForm
          action={`${props.base}/members/${props.member.id}/delete`}
          csrfToken={props.csrfToken}
          class="danger-zone"
          label="Ta bort medlem"
        >
          <h2>Ta bort medlemmen</h2>
          <p>Medlemmen tas bort från förbundet. Det går inte om medlemmen förekommer i förbundets uppgifter.</p>
          <Button kind="danger">Ta bort {props.member.name}</Button>
        </PostForm>
      )}
    </div>
  );
}

function memberValues(member: Member): Record<string, string> {
  return {
    name: member.name,
    type: member.type,
    organisationNumber: member.organisation_number ?? "",
    fundingShare: percentText(member.funding_share_basis_points),
  };
}

export function FundingSharesPage(props: {
  base: string;
  csrfToken: string;
  members: Member[];
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  return (
    <>
      <h1>Ändra andelar</h1>
      <p>
        Ange varje medlems andel av medlemsbidragen i procent. Andelarna sparas bara om de tillsammans följer lagens
        fördelning.
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`${props.base}/funding-shares`} csrfToken={props.csrfToken}>
        <fieldset id="field-shares">
          <legend>Andelar i procent</legend>
          {props.members.map((member) => (
            <Field
              name={`share.${member.id}`}
              label={`${member.name} (${memberTypeNames[member.type]})`}
              value={props.values?.[`share.${member.id}`] ?? percentText(member.funding_share_basis_points)}
              errors={props.errors}
              inputmode="decimal"
              width="short"
              required
            />
          ))}
        </fieldset>
        <Button>Spara andelar</Button> <a href={`${props.base}/members`}>Avbryt</a>
      </PostForm>
    </>
  );
}
