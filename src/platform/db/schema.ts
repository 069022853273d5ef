import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/**
 * Table types for Kysely, written by hand beside the SQL migrations; test/db/schema.test.ts checks them against the
 * catalog so the two cannot drift apart.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type Role = "admin" | "officer" | "owner_contact" | "board" | "auditor";
export type MemberType = "fk" | "af" | "region" | "kommun" | "other";
export type TokenScope = "read" | "write";
export type InterventionKind = "individual" | "structural";
export type InterventionStatus =
  | "draft"
  | "submitted"
  | "in_preparation"
  | "granted"
  | "rejected"
  | "ongoing"
  | "ended"
  | "final_report_submitted"
  | "final_report_approved";
export type PartnerRole = "co_applicant" | "cooperating_partner";
export type GoalLevel = "overall" | "sub";
export type GoalStatus = "achieved" | "partly_achieved" | "not_achieved" | "struck" | "not_assessed";
export type GoalChange = "added" | "changed" | "struck";
export type CostCategory =
  | "activities"
  | "external_services"
  | "salaries"
  | "premises"
  | "material"
  | "travel"
  | "other";
export type RequisitionStatus = "submitted" | "approved" | "returned";
export type ReportKind = "interim" | "final";
export type ReportStatus = "draft" | "submitted" | "returned" | "approved";
export type Gender = "woman" | "man" | "other_unknown";
export type ParticipantCodeList = "income_source" | "exit_reason";
export type VarianceSign = "actual_minus_budget" | "budget_minus_actual";
export type BudgetStatus = "plan" | "adopted";
export type Invoicing = "yearly" | "half_yearly" | "quarterly";
export type BudgetSection =
  | "income"
  | "individual"
  | "structural"
  | "administration"
  | "financial_income"
  | "financial_cost";
export type Scenario = "budget" | "forecast";
export type ActualsSource = "sie" | "table";
export type BalanceKind = "opening" | "closing" | "result";
export type BalanceLine =
  | "fixed_assets"
  | "receivables"
  | "cash"
  | "equity"
  | "long_term_liabilities"
  | "current_liabilities";
export type FollowUpKind = "after_90_days" | "after_12_months";
/** A BYTEA column: Buffer from pg, Uint8Array from PGlite. */
type Bytes = Uint8Array;
/** A jsonb column: read as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
/** A DATE column: 'YYYY-MM-DD' text on both databases (type-parsers.ts). */
type CalendarDate = string;

export interface UserAccountTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  is_superadmin: Generated<boolean>;
  created_at: CreatedAt;
  password_changed_at: Timestamp | null;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface OneTimeTokenTable {
  id: string;
  user_id: string;
  purpose: "password_reset" | "invitation";
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface LoginAttemptTable {
  id: Generated<bigint>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: CreatedAt;
}

export interface AssociationTable {
  id: Generated<string>;
  slug: string;
  name: string;
  organisation_number: string | null;
  created_at: CreatedAt;
}

export interface MemberTable {
  association_id: string;
  id: Generated<string>;
  name: string;
  type: MemberType;
  organisation_number: string | null;
  funding_share_basis_points: Generated<number>;
  created_at: CreatedAt;
}

export interface AssociationUserTable {
  association_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

export interface ApiTokenTable {
  association_id: string;
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  scope: TokenScope;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  association_id: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  occurred_at: CreatedAt;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: ColumnType<Record<string, unknown>, string | undefined, never>;
  request_id: string | null;
}

export interface OrganisationTable {
  association_id: string;
  id: Generated<string>;
  name: string;
  member_id: string | null;
  organisation_number: string | null;
  created_at: CreatedAt;
}

export interface OrganisationContactTable {
  association_id: string;
  organisation_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface InterventionTable {
  association_id: string;
  id: Generated<string>;
  name: string;
  owner_organisation_id: string;
  kind: InterventionKind;
  target_group: string | null;
  start_date: CalendarDate;
  end_date: CalendarDate;
  intake_end_date: CalendarDate | null;
  conditions: string | null;
  registry_number: string | null;
  decision_section: string | null;
  decision_date: CalendarDate | null;
  background: string | null;
  purpose: string | null;
  method: string | null;
  planned_women: number | null;
  planned_men: number | null;
  planned_gender_unknown: number | null;
  status: Generated<InterventionStatus>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface InterventionGrantTable {
  association_id: string;
  intervention_id: string;
  year: number;
  amount_ore: bigint;
}

export interface InterventionPartnerTable {
  association_id: string;
  intervention_id: string;
  organisation_id: string;
  role: PartnerRole;
  contact_name: string | null;
  contact_email: string | null;
}

export interface InterventionStatusChangeTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  from_status: InterventionStatus | null;
  to_status: InterventionStatus;
  changed_at: CreatedAt;
  changed_by: string | null;
  changed_by_label: string;
  comment: string | null;
}

export interface InterventionGoalTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  position: number;
  level: GoalLevel;
  text: string;
  target_value: number | null;
  unit: string | null;
  status: Generated<GoalStatus>;
  created_at: CreatedAt;
}

export interface InterventionGoalRevisionTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  goal_id: string;
  change: GoalChange;
  revised_on: CalendarDate;
  reason: string;
  decision_reference: string | null;
  previous_text: string | null;
  previous_target_value: number | null;
  previous_unit: string | null;
  recorded_by: string | null;
  recorded_by_label: string;
  recorded_at: CreatedAt;
}

export interface InterventionBudgetTable {
  association_id: string;
  intervention_id: string;
  year: number;
  cost_category: CostCategory;
  amount_ore: bigint;
}

export interface InterventionCommentTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  body: string;
  written_by: string | null;
  written_by_label: string;
  written_at: CreatedAt;
}

export interface RequisitionTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  period_start: CalendarDate;
  period_end: CalendarDate;
  status: Generated<RequisitionStatus>;
  note: string | null;
  submitted_by: string | null;
  submitted_by_label: string;
  submitted_at: Timestamp;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  decision_comment: string | null;
  over_grant_reason: string | null;
  version: Generated<number>;
}

export interface RequisitionLineTable {
  association_id: string;
  requisition_id: string;
  cost_category: CostCategory;
  amount_ore: bigint;
}

export interface RepaymentTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  amount_ore: bigint;
  repaid_on: CalendarDate;
  decision_reference: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_by_label: string;
  recorded_at: CreatedAt;
}

export interface ReportTemplateTable {
  association_id: string;
  key: string;
  based_on: string;
  definition: Json<unknown>;
  created_by_label: string;
  created_at: CreatedAt;
}

export interface ReportTemplateDefaultTable {
  association_id: string;
  kind: ReportKind;
  template_key: string;
}

export interface ReportTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  kind: ReportKind;
  template_key: string;
  template: Json<unknown>;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<ReportStatus>;
  version: Generated<number>;
  submitted_at: Timestamp | null;
  submitted_by_label: string | null;
  arrival_date: CalendarDate | null;
  registry_number: string | null;
  decided_at: Timestamp | null;
  decided_by_label: string | null;
  decision_comment: string | null;
  imported_from: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EncryptionKeyCheckTable {
  key_id: string;
  check_value: Bytes;
  created_at: CreatedAt;
}

export interface ParticipantSettingsTable {
  association_id: string;
  pseudonym_key: Bytes;
  last_number: Generated<number>;
  retention_years: Generated<number>;
  consent_version: Generated<string>;
}

export interface ParticipantTable {
  association_id: string;
  id: Generated<string>;
  number: number;
  identity_hash: Bytes | null;
  gender: Gender;
  birth_year: number | null;
  created_at: CreatedAt;
  anonymised_at: Timestamp | null;
}

export interface ParticipantIdentityTable {
  association_id: string;
  participant_id: string;
  ciphertext: Bytes;
}

export interface ParticipantCodeTable {
  association_id: string;
  list: ParticipantCodeList;
  code: string;
  label: string;
  national_code: string;
  position: number;
  active: Generated<boolean>;
}

export interface EnrolmentTable {
  association_id: string;
  id: Generated<string>;
  participant_id: string;
  intervention_id: string;
  enrolled_on: CalendarDate;
  referrer_member_id: string | null;
  income_source_at_enrolment: string;
  target_at_start: string | null;
  consent_on: CalendarDate | null;
  consent_version: string | null;
  consent_withdrawn_on: CalendarDate | null;
  exited_on: CalendarDate | null;
  exit_reason: string | null;
  income_source_at_exit: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface FollowUpTable {
  association_id: string;
  enrolment_id: string;
  kind: FollowUpKind;
  followed_up_on: CalendarDate;
  outcome: string;
  income_source: string | null;
}

export interface GuidanceCaseCountTable {
  association_id: string;
  id: Generated<string>;
  intervention_id: string;
  period_start: CalendarDate;
  period_end: CalendarDate;
  women: Generated<number>;
  men: Generated<number>;
  gender_unknown: Generated<number>;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface EconomySettingsTable {
  association_id: string;
  variance_sign: Generated<VarianceSign>;
  equity_ceiling_basis_points: Generated<number>;
  object_dimension: Generated<number>;
  version: Generated<number>;
}

export interface FiscalYearTable {
  association_id: string;
  year: number;
  total_contribution_ore: Generated<bigint>;
  budget_status: Generated<BudgetStatus>;
  budget_adopted_on: CalendarDate | null;
  budget_decision: string | null;
  version: Generated<number>;
}

export interface MemberContributionTable {
  association_id: string;
  year: number;
  member_id: string;
  funding_share_basis_points: number;
  member_from: CalendarDate | null;
  decided_ore: bigint | null;
  invoicing: Generated<Invoicing>;
}

export interface ContributionInvoiceTable {
  association_id: string;
  year: number;
  member_id: string;
  instalment: number;
  due_on: CalendarDate;
  amount_ore: bigint;
  invoiced_on: CalendarDate | null;
  paid_on: CalendarDate | null;
}

export interface BudgetLineTable {
  association_id: string;
  id: Generated<string>;
  section: BudgetSection;
  name: string;
  member_id: string | null;
  intervention_id: string | null;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface BudgetAmountTable {
  association_id: string;
  scenario: Scenario;
  year: number;
  line_id: string;
  month: number;
  amount_ore: bigint;
}

export interface ActualsImportTable {
  association_id: string;
  id: Generated<string>;
  source: ActualsSource;
  year: number;
  period_start: CalendarDate;
  period_end: CalendarDate;
  file_name: string;
  file_sha256: Bytes;
  company_name: string | null;
  program: string | null;
  object_dimension: number | null;
  voucher_count: Generated<number>;
  transaction_count: Generated<number>;
  imported_at: CreatedAt;
  imported_by: string | null;
  imported_by_label: string;
  replaced_at: Timestamp | null;
  replaced_by: string | null;
}

export interface ActualTransactionTable {
  association_id: string;
  import_id: string;
  row_number: number;
  booked_on: CalendarDate;
  account: string | null;
  object_code: string | null;
  line_id: string | null;
  amount_ore: bigint;
  voucher: string | null;
  description: string | null;
}

export interface ActualBalanceTable {
  association_id: string;
  import_id: string;
  kind: BalanceKind;
  year_index: number;
  account: string;
  amount_ore: bigint;
}

export interface LedgerAccountTable {
  association_id: string;
  number: string;
  name: string;
}

export interface LedgerObjectTable {
  association_id: string;
  code: string;
  name: string;
}

export interface AccountMappingTable {
  association_id: string;
  id: Generated<string>;
  account: string | null;
  object_code: string | null;
  line_id: string | null;
  balance_line: BalanceLine | null;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface DB {
  user_account: UserAccountTable;
  session: SessionTable;
  one_time_token: OneTimeTokenTable;
  login_attempt: LoginAttemptTable;
  association: AssociationTable;
  member: MemberTable;
  association_user: AssociationUserTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  organisation: OrganisationTable;
  organisation_contact: OrganisationContactTable;
  intervention: InterventionTable;
  intervention_grant: InterventionGrantTable;
  intervention_partner: InterventionPartnerTable;
  intervention_status_change: InterventionStatusChangeTable;
  intervention_goal: InterventionGoalTable;
  intervention_goal_revision: InterventionGoalRevisionTable;
  intervention_budget: InterventionBudgetTable;
  intervention_comment: InterventionCommentTable;
  requisition: RequisitionTable;
  requisition_line: RequisitionLineTable;
  repayment: RepaymentTable;
  report_template: ReportTemplateTable;
  report_template_default: ReportTemplateDefaultTable;
  report: ReportTable;
  encryption_key_check: EncryptionKeyCheckTable;
  participant_settings: ParticipantSettingsTable;
  participant: ParticipantTable;
  participant_identity: ParticipantIdentityTable;
  participant_code: ParticipantCodeTable;
  enrolment: EnrolmentTable;
  follow_up: FollowUpTable;
  guidance_case_count: GuidanceCaseCountTable;
  economy_settings: EconomySettingsTable;
  fiscal_year: FiscalYearTable;
  member_contribution: MemberContributionTable;
  contribution_invoice: ContributionInvoiceTable;
  budget_line: BudgetLineTable;
  budget_amount: BudgetAmountTable;
  actuals_import: ActualsImportTable;
  actual_transaction: ActualTransactionTable;
  actual_balance: ActualBalanceTable;
  ledger_account: LedgerAccountTable;
  ledger_object: LedgerObjectTable;
  account_mapping: AccountMappingTable;
  schema_migration: SchemaMigrationTable;
}

export type UserAccount = Selectable<UserAccountTable>;
export type Association = Selectable<AssociationTable>;
export type Member = Selectable<MemberTable>;
export type NewMember = Insertable<MemberTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type AuditLogEntry = Selectable<AuditLogTable>;
export type Organisation = Selectable<OrganisationTable>;
export type Intervention = Selectable<InterventionTable>;
export type InterventionPartner = Selectable<InterventionPartnerTable>;
export type InterventionStatusChange = Selectable<InterventionStatusChangeTable>;
export type InterventionGoal = Selectable<InterventionGoalTable>;
export type Requisition = Selectable<RequisitionTable>;
export type Report = Selectable<ReportTable>;
export type BudgetLine = Selectable<BudgetLineTable>;
export type FiscalYear = Selectable<FiscalYearTable>;
export type ActualsImport = Selectable<ActualsImportTable>;
