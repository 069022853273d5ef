import { PASSWORD_MIN_LENGTH } from "../platform/auth/password.js";
import { roleNames } from "../platform/auth/policy.js";
import type { Role } from "../platform/db/schema.js";
import type { FieldError } from "../platform/http/errors.js";
import { Button, ErrorSummary, Field, PostForm } from "../platform/ui/components.js";

type FormState = { csrfToken: string; values?: Record<string, string>; errors?: FieldError[] };

export function LoginPage(props: FormState & { next: string; failure?: string }) {
  return (
    <div class="narrow">
      <h1>Logga in</h1>
      {props.failure && (
        <div class="error-summary" role="alert" tabindex={-1} data-focus-on-load>
          <p>{props.failure}</p>
        </div>
      )}
      <ErrorSummary errors={props.errors} />
      <PostForm
        action={`/login${props.next ? `?next=${encodeURIComponent(props.next)}` : ""}`}
        csrfToken={props.csrfToken}
      >
        <Field
          name="email"
          label="E-postadress"
          type="email"
          autocomplete="username"
          required
          value={props.values?.email}
          errors={props.errors}
        />
        <Field
          name="password"
          label="Lösenord"
          type="password"
          autocomplete="current-password"
          required
          errors={props.errors}
        />
        <Button>Logga in</Button>
      </PostForm>
      <p>
        <a href="/password-reset">Glömt lösenordet?</a>
      </p>
    </div>
  );
}

export function PasswordResetRequestPage(props: FormState) {
  return (
    <div class="narrow">
      <h1>Återställ lösenord</h1>
      <p>Ange din e-postadress så skickar vi en länk för att välja ett nytt lösenord. Länken gäller i en timme.</p>
      <ErrorSummary errors={props.errors} />
      <PostForm action="/password-reset" csrfToken={props.csrfToken}>
        <Field
          name="email"
          label="E-postadress"
          type="email"
          autocomplete="username"
          required
          value={props.values?.email}
          errors={props.errors}
        />
        <Button>Skicka länk</Button>
      </PostForm>
    </div>
  );
}

export function ChoosePasswordPage(
  props: FormState & { title: string; action: string; email: string; askName?: boolean; intro: string },
) {
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      <p>{props.intro}</p>
      <p>
        Konto: <strong>{props.email}</strong>
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={props.action} csrfToken={props.csrfToken}>
        {props.askName && (
          <Field
            name="name"
            label="Ditt namn"
            autocomplete="name"
            required
            value={props.values?.name}
            errors={props.errors}
          />
        )}
        <NewPasswordFields errors={props.errors} />
        <Button>Spara lösenord</Button>
      </PostForm>
    </div>
  );
}

export function InvalidLinkPage() {
  return (
    <div class="narrow">
      <h1>Länken fungerar inte</h1>
      <p>Länken är redan använd eller har gått ut. Be om en ny länk.</p>
      <p>
        <a href="/password-reset">Återställ lösenord</a> · <a href="/login">Logga in</a>
      </p>
    </div>
  );
}

export function AccountPage(
  props: FormState & {
    name: string;
    email: string;
    associations: { slug: string; name: string; role: Role }[];
  },
) {
  return (
    <>
      <h1>Mitt konto</h1>
      <dl class="summary-list">
        <dt>Namn</dt>
        <dd>{props.name}</dd>
        <dt>E-postadress</dt>
        <dd>{props.email}</dd>
      </dl>
      <h2>Mina förbund</h2>
      <AssociationList associations={props.associations} />
      <h2 id="password-heading">Byt lösenord</h2>
      <ErrorSummary errors={props.errors} />
      <PostForm action="/account/password" csrfToken={props.csrfToken} label="Byt lösenord">
        <Field
          name="currentPassword"
          label="Nuvarande lösenord"
          type="password"
          autocomplete="current-password"
          required
          errors={props.errors}
        />
        <NewPasswordFields errors={props.errors} />
        <Button>Byt lösenord</Button>
      </PostForm>
    </>
  );
}

export function AssociationList(props: { associations: { slug: string; name: string; role: Role }[] }) {
  if (props.associations.length === 0) {
    return <p>Du har ännu ingen roll i något förbund. Be förbundets administratör om en inbjudan.</p>;
  }
  return (
    <ul class="link-list">
      {props.associations.map((association) => (
        <li>
          <a href={`/f/${association.slug}`}>{association.name}</a>{" "}
          <span class="muted">({roleNames[association.role]})</span>
        </li>
      ))}
    </ul>
  );
}

/** The new password, typed twice (the check that they match is in passwords.ts). */
function NewPasswordFields(props: { errors?: FieldError[] | undefined }) {
  return (
    <>
      <Field
        name="password"
        label="Nytt lösenord"
        type="password"
        autocomplete="new-password"
        hint={`Minst ${PASSWORD_MIN_LENGTH} tecken. En fras med flera ord är lätt att minnas och svår att gissa.`}
        required
        errors={props.errors}
      />
      <Field
        name="passwordConfirmation"
        label="Upprepa lösenordet"
        type="password"
        autocomplete="new-password"
        required
        errors={props.errors}
      />
    </>
  );
}
