-- A known value encrypted with each key that has ever been used, so that a wrong or missing key is found at start-up
-- instead of as unreadable rows. Read only by the owner (start-up and key rotation), never by requests.
CREATE TABLE encryption_key_check (
  key_id text PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  check_value bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON encryption_key_check FROM samordna_app;

-- Per association: the key of the keyed hash that recognises the same person across insatser (random, stored
-- encrypted with the keyring so that key rotation re-encrypts it without changing the hashes), the running number
-- behind each participant's pseudonym, and how long identities are kept after the last exit.
CREATE TABLE participant_settings (
  association_id uuid PRIMARY KEY REFERENCES association ON DELETE CASCADE,
  pseudonym_key bytea NOT NULL,
  last_number integer NOT NULL DEFAULT 0,
  retention_years integer NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 50),
  consent_version text NOT NULL DEFAULT '1' CHECK (length(consent_version) BETWEEN 1 AND 40)
);
SELECT enable_tenant_isolation('participant_settings');

-- A person followed in one or more individinriktade insatser of the association. Only pseudonymous columns live
-- here, and statistics read only these; the identity is in participant_identity, encrypted.
CREATE TABLE participant (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number integer NOT NULL CHECK (number > 0),
  -- HMAC-SHA256 of the normalised personnummer with the association's pseudonym key; null without identity
  -- (registrations that only count, and anonymised participants).
  identity_hash bytea,
  gender text NOT NULL CHECK (gender IN ('woman', 'man', 'other_unknown')),
  birth_year integer CHECK (birth_year BETWEEN 1900 AND 2100),
  created_at timestamptz NOT NULL DEFAULT now(),
  anonymised_at timestamptz,
  PRIMARY KEY (association_id, id),
  UNIQUE (association_id, number),
  UNIQUE (association_id, identity_hash),
  FOREIGN KEY (association_id) REFERENCES association ON DELETE CASCADE
);
SELECT enable_tenant_isolation('participant');

-- The identity (personnummer or samordningsnummer, and name) as AES-256-GCM ciphertext whose associated data is the
-- row's ids. Deleted when the participant is anonymised.
CREATE TABLE participant_identity (
  association_id uuid NOT NULL,
  participant_id uuid NOT NULL,
  ciphertext bytea NOT NULL,
  PRIMARY KEY (association_id, participant_id),
  FOREIGN KEY (association_id, participant_id) REFERENCES participant ON DELETE CASCADE
);
SELECT enable_tenant_isolation('participant_identity');

-- An association's own code lists for income source and exit reason; without rows the built-in lists apply.
-- Each code names the national code it is reported as, so that statistics and the national export stay comparable.
CREATE TABLE participant_code (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  list text NOT NULL CHECK (list IN ('income_source', 'exit_reason')),
  code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  national_code text NOT NULL CHECK (national_code ~ '^[a-z0-9_]{1,40}$'),
  position integer NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (association_id, list, code)
);
SELECT enable_tenant_isolation('participant_code');

-- Inskrivning in an insats, with consent, referrer and income source at start, and the exit (utskrivning) with its
-- reason and income source at exit.
CREATE TABLE enrolment (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  participant_id uuid NOT NULL,
  intervention_id uuid NOT NULL,
  enrolled_on date NOT NULL,
  referrer_member_id uuid,
  income_source_at_enrolment text NOT NULL,
  target_at_start text CHECK (length(target_at_start) <= 1000),
  consent_on date,
  consent_version text CHECK (length(consent_version) <= 40),
  consent_withdrawn_on date,
  exited_on date,
  exit_reason text,
  income_source_at_exit text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, participant_id) REFERENCES participant ON DELETE CASCADE,
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  FOREIGN KEY (association_id, referrer_member_id) REFERENCES member,
  CHECK (exited_on IS NULL OR exited_on >= enrolled_on),
  CHECK ((exited_on IS NULL) = (exit_reason IS NULL)),
  CHECK (consent_withdrawn_on IS NULL OR consent_on IS NOT NULL AND consent_withdrawn_on >= consent_on)
);
CREATE INDEX enrolment_intervention_idx ON enrolment (association_id, intervention_id, enrolled_on);
CREATE INDEX enrolment_participant_idx ON enrolment (association_id, participant_id);
CREATE INDEX enrolment_period_idx ON enrolment (association_id, enrolled_on, exited_on);
SELECT enable_tenant_isolation('enrolment');

-- Uppföljning some time after exit: what the person does then.
CREATE TABLE follow_up (
  association_id uuid NOT NULL,
  enrolment_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('after_90_days', 'after_12_months')),
  followed_up_on date NOT NULL,
  outcome text NOT NULL,
  income_source text,
  PRIMARY KEY (association_id, enrolment_id, kind),
  FOREIGN KEY (association_id, enrolment_id) REFERENCES enrolment ON DELETE CASCADE
);
SELECT enable_tenant_isolation('follow_up');

-- Lotsärenden: cases where a handläggare asks for help with samverkan, counted per period without any person.
CREATE TABLE guidance_case_count (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  women integer NOT NULL DEFAULT 0 CHECK (women >= 0),
  men integer NOT NULL DEFAULT 0 CHECK (men >= 0),
  gender_unknown integer NOT NULL DEFAULT 0 CHECK (gender_unknown >= 0),
  note text CHECK (length(note) <= 1000),
  recorded_by uuid,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  CHECK (period_end >= period_start)
);
CREATE INDEX guidance_case_count_intervention_idx ON guidance_case_count (association_id, intervention_id);
SELECT enable_tenant_isolation('guidance_case_count');
