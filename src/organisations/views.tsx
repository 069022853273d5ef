import type { Member, Organisation } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, ErrorSummary, Field, PostForm, RowAction, Select } from "../platform/ui/components.js";
import type { listContacts, listOrganisations } from "./repository.js";

type OrganisationRow = Awaited<ReturnType<typeof listOrganisations>>[number];
type Contact = Awaited<ReturnType<typeof listContacts>>[number];

export function OrganisationsPage(props: { base: string; organisations: OrganisationRow[]; canWrite: boolean }) {
  return (
    <>
      <h1>Organisationer</h1>
      <p>
        Organisationer som äger eller deltar i förbundets insatser: medlemmarna, deras förvaltningar och enheter, och
        andra organisationer som medsöker eller samverkar.
      </p>
      {props.canWrite && (
        <p class="actions">
          <a class="button button--primary" href={`${props.base}/organisations/new`}>
            Lägg till organisation
          </a>
        </p>
      )}
      {props.organisations.length === 0 ? (
        <p>Inga organisationer är registrerade ännu.</p>
      ) : (
        <div class="table-wrapper">
          <table>
            <caption class="visually-hidden">Organisationer</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Hör till medlem</th>
                <th scope="col">Organisationsnummer</th>
              </tr>
            </thead>
            <tbody>
              {props.organisations.map((organisation) => (
                <tr>
                  <th scope="row">
                    <a href={`${props.base}/organisations/${organisation.id}`}>{organisation.name}</a>
                  </th>
                  <td>{organisation.member_name ?? "Inte medlem"}</td>
                  <td>{organisation.organisation_number ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function OrganisationPage(props: {
  base: string;
  csrfToken: string;
  organisation: Organisation;
  memberName: string | undefined;
  contacts: Contact[];
  candidates: { id: string; name: string; email: string }[];
  canWrite: boolean;
  errors?: FieldError[] | undefined;
}) {
  const { organisation } = props;
  const path = `${props.base}/organisations/${organisation.id}`;
  return (
    <>
      <h1>{organisation.name}</h1>
      <dl class="summary-list">
        <dt>Hör till medlem</dt>
        <dd>{props.memberName ?? "Inte medlem i förbundet"}</dd>
        <dt>Organisationsnummer</dt>
        <dd>{organisation.organisation_number ?? "–"}</dd>
      </dl>
      {props.canWrite && (
        <p class="actions">
          <a class="button button--secondary" href={`${path}/edit`}>
            Ändra organisationen
          </a>
        </p>
      )}
      {props.canWrite && (
        <section aria-labelledby="contacts-heading">
          <h2 id="contacts-heading">Kontaktpersoner</h2>
          <p>Kontaktpersonerna ser organisationens insatser och kan ansöka, rekvirera och rapportera för dem.</p>
          {props.contacts.length === 0 ? (
            <p>Ingen kontaktperson är kopplad till organisationen.</p>
          ) : (
            <ul class="link-list">
              {props.contacts.map((contact) => (
                <li>
                  {contact.name} ({contact.email}){" "}
                  <RowAction
                    action={`${path}/contacts/${contact.id}/delete`}
                    csrfToken={props.csrfToken}
                    label="Ta bort"
                    object={contact.name}
                  />
                </li>
              ))}
            </ul>
          )}
          <ErrorSummary errors={props.errors} />
          {props.candidates.length === 0 ? (
            <p class="muted">Bjud först in personen under Användare med rollen Kontaktperson för insatsägare.</p>
          ) : (
            <PostForm
              action={`${path}/contacts`}
              csrfToken={props.csrfToken}
              label="Koppla kontaktperson till organisationen"
            >
              <Select
                name="userId"
                label="Användare med rollen Kontaktperson för insatsägare"
                required
                options={props.candidates.map((user) => ({ value: user.id, label: `${user.name} (${user.email})` }))}
                errors={props.errors}
                emptyOption="Välj användare"
              />
              <Button kind="secondary">Koppla</Button>
            </PostForm>
          )}
        </section>
      )}
    </>
  );
}

export function OrganisationFormPage(props: {
  base: string;
  csrfToken: string;
  members: Member[];
  organisation?: Organisation | undefined;
  values?: Record<string, string> | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { organisation } = props;
  const values = props.values ?? {
    name: organisation?.name ?? "",
    memberId: organisation?.member_id ?? "",
    organisationNumber: organisation?.organisation_number ?? "",
  };
  const action = organisation ? `${props.base}/organisations/${organisation.id}` : `${props.base}/organisations`;
  return (
    <div class="narrow">
      <h1>{organisation ? `Ändra ${organisation.name}` : "Lägg till organisation"}</h1>
      <ErrorSummary errors={props.errors} />
      <PostForm action={action} csrfToken={props.csrfToken}>
        <Field
          name="name"
          label="Namn"
          required
          value={values.name}
          errors={props.errors}
          hint="Som den skrivs i ansökningar och rapporter, t.ex. Exempelby kommun, arbetsmarknadsförvaltningen."
        />
        <Select
          name="memberId"
          label="Hör till medlem"
          options={props.members.map((member) => ({ value: member.id, label: member.name }))}
          value={values.memberId}
          errors={props.errors}
          emptyOption="Inte medlem i förbundet"
        />
        <Field
          name="organisationNumber"
          label="Organisationsnummer"
          value={values.organisationNumber}
          errors={props.errors}
          width="medium"
        />
        <Button>Spara</Button> <a href={organisation ? action : `${props.base}/organisations`}>Avbryt</a>
      </PostForm>
    </div>
  );
}
