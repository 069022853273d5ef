-- The application (ansökan) is the insats itself while it is being drafted and prepared: its text, its goals, its
-- budget and its planned participants. After the grant the goals live on and change only through revisions.
ALTER TABLE intervention
  ADD COLUMN background text,
  ADD COLUMN purpose text,
  ADD COLUMN method text,
  ADD COLUMN planned_women integer CHECK (planned_women BETWEEN 0 AND 1000000),
  ADD COLUMN planned_men integer CHECK (planned_men BETWEEN 0 AND 1000000),
  ADD COLUMN planned_gender_unknown integer CHECK (planned_gender_unknown BETWEEN 0 AND 1000000);

-- A goal of the insats: övergripande mål or delmål, measurable where it has a target value and unit.
CREATE TABLE intervention_goal (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  position integer NOT NULL,
  level text NOT NULL CHECK (level IN ('overall', 'sub')),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  target_value integer CHECK (target_value BETWEEN 0 AND 1000000000),
  unit text CHECK (length(unit) <= 50),
  status text NOT NULL DEFAULT 'not_assessed'
    CHECK (status IN ('achieved', 'partly_achieved', 'not_achieved', 'struck', 'not_assessed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  CHECK (unit IS NULL OR target_value IS NOT NULL)
);
CREATE INDEX intervention_goal_idx ON intervention_goal (association_id, intervention_id, position);
SELECT enable_tenant_isolation('intervention_goal');

-- A change to a granted insats's goals, as the seeds record them ("Delmålen reviderades 2020 pga. covid-19",
-- "beslut att stryka målsättningarna"): when, why, on whose decision, and what the goal said before.
CREATE TABLE intervention_goal_revision (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  goal_id uuid NOT NULL,
  change text NOT NULL CHECK (change IN ('added', 'changed', 'struck')),
  revised_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  decision_reference text CHECK (length(decision_reference) <= 200),
  previous_text text,
  previous_target_value integer,
  previous_unit text,
  recorded_by uuid,
  recorded_by_label text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  FOREIGN KEY (association_id, goal_id) REFERENCES intervention_goal ON DELETE CASCADE
);
CREATE INDEX intervention_goal_revision_idx ON intervention_goal_revision (association_id, intervention_id, revised_on);
SELECT enable_tenant_isolation('intervention_goal_revision');

-- The applied budget: an amount per kostnadsslag and calendar year, in öre.
CREATE TABLE intervention_budget (
  association_id uuid NOT NULL,
  intervention_id uuid NOT NULL,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  cost_category text NOT NULL CHECK (cost_category IN ('activities', 'external_services', 'salaries', 'premises',
    'material', 'travel', 'other')),
  amount_ore bigint NOT NULL CHECK (amount_ore BETWEEN 0 AND 1000000000000),
  PRIMARY KEY (association_id, intervention_id, year, cost_category),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
SELECT enable_tenant_isolation('intervention_budget');

-- The conversation about an application between the förbund's officers and the insatsägare.
CREATE TABLE intervention_comment (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  written_by uuid,
  written_by_label text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
CREATE INDEX intervention_comment_idx ON intervention_comment (association_id, intervention_id, written_at);
SELECT enable_tenant_isolation('intervention_comment');
