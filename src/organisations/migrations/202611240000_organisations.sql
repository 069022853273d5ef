-- An organisation the association works with: insatsägare and partners of insatser. Most are a member or a unit of
-- one ("Arbetsförmedlingen, Enheten Södra Västernorrland" under member Arbetsförmedlingen: member_id set); some are
-- not members at all (a private vårdcentral as medsökande: member_id null).
CREATE TABLE organisation (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  member_id uuid,
  organisation_number text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, member_id) REFERENCES member (association_id, id)
);
CREATE UNIQUE INDEX organisation_name_key ON organisation (association_id, lower(name));
CREATE INDEX organisation_member_idx ON organisation (association_id, member_id);
SELECT enable_tenant_isolation('organisation');

-- The users (role owner_contact) who act for an organisation: they see and report on its insatser only.
CREATE TABLE organisation_contact (
  association_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, organisation_id, user_id),
  FOREIGN KEY (association_id, organisation_id) REFERENCES organisation ON DELETE CASCADE,
  FOREIGN KEY (association_id, user_id) REFERENCES association_user ON DELETE CASCADE
);
CREATE INDEX organisation_contact_user_idx ON organisation_contact (association_id, user_id);
SELECT enable_tenant_isolation('organisation_contact');
