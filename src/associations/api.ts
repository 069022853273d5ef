import { z } from "zod";
import type { Member } from "../platform/db/schema.js";
import { notFound } from "../platform/http/errors.js";
import type { Routes } from "../platform/http/routes.js";
import { createMember } from "./create-member.js";
import { deleteMember } from "./delete-member.js";
import { checkFundingShares, memberTypes } from "./funding-shares.js";
import { memberBody } from "./member-input.js";
import { findMember, listMembers } from "./repository.js";
import { setFundingShares } from "./set-funding-shares.js";
import { updateMember } from "./update-member.js";

const associationSchema = z.object({
  slug: z.string(),
  name: z.string(),
  organisationNumber: z.string().nullable(),
});

const memberSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(memberTypes as [string, ...string[]]),
  organisationNumber: z.string().nullable(),
  fundingShareBasisPoints: z.number().int().meta({ description: "Share of the contributions in 1/100 %, 2500 = 25 %" }),
});

const fundingSharesSchema = z.object({
  ok: z
    .boolean()
    .meta({ description: "Whether the shares follow the law's split (state 50 %, region 25 %, kommuner 25 %)" }),
  totalBasisPoints: z.number().int(),
  groups: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      requiredBasisPoints: z.number().int(),
      actualBasisPoints: z.number().int(),
    }),
  ),
  problems: z.array(z.string()),
});

const memberParams = z.object({ memberId: z.uuid() });

const presentMember = (member: Member) => ({
  id: member.id,
  name: member.name,
  type: member.type,
  organisationNumber: member.organisation_number,
  fundingShareBasisPoints: member.funding_share_basis_points,
});

const presentCheck = (check: ReturnType<typeof checkFundingShares>) => ({
  ok: check.ok,
  totalBasisPoints: check.total,
  groups: check.groups.map((group) => ({
    key: group.key,
    label: group.label,
    requiredBasisPoints: group.required,
    actualBasisPoints: group.actual,
  })),
  problems: check.problems,
});

export function registerAssociationApi({ association: router, api }: Routes) {
  api.add(router, {
    method: "get",
    path: "",
    operationId: "getAssociation",
    summary: "The association (samordningsförbund)",
    tag: "associations",
    permission: "association.read",
    response: associationSchema,
    handler: async ({ tenant }) => ({
      slug: tenant.association.slug,
      name: tenant.association.name,
      organisationNumber: tenant.association.organisation_number,
    }),
  });

  api.add(router, {
    method: "get",
    path: "/members",
    operationId: "listMembers",
    summary: "Member organisations (förbundsmedlemmar) with their funding shares",
    tag: "members",
    permission: "member.read",
    response: z.object({ items: z.array(memberSchema) }),
    handler: async ({ tenant }) => ({
      items: (await listMembers(tenant.tx, tenant.association.id)).map(presentMember),
    }),
  });

  api.add(router, {
    method: "post",
    path: "/members",
    operationId: "createMember",
    summary: "Add a member organisation",
    tag: "members",
    permission: "member.write",
    body: memberBody,
    response: memberSchema,
    status: 201,
    handler: async ({ tenant, body }) => presentMember(await createMember({ tenant, input: body })),
  });

  api.add(router, {
    method: "get",
    path: "/members/{memberId}",
    operationId: "getMember",
    summary: "One member organisation",
    tag: "members",
    permission: "member.read",
    params: memberParams,
    response: memberSchema,
    handler: async ({ tenant, params }) => {
      const member = await findMember(tenant.tx, tenant.association.id, params.memberId);
      if (!member) throw notFound();
      return presentMember(member);
    },
  });

  api.add(router, {
    method: "put",
    path: "/members/{memberId}",
    operationId: "updateMember",
    summary: "Replace a member organisation's details",
    tag: "members",
    permission: "member.write",
    params: memberParams,
    body: memberBody,
    response: memberSchema,
    handler: async ({ tenant, params, body }) =>
      presentMember(await updateMember({ tenant, memberId: params.memberId, input: body })),
  });

  api.add(router, {
    method: "delete",
    path: "/members/{memberId}",
    operationId: "deleteMember",
    summary: "Remove a member organisation that nothing refers to",
    tag: "members",
    permission: "member.write",
    params: memberParams,
    response: z.object({ deleted: z.literal(true) }),
    handler: async ({ tenant, params }) => {
      await deleteMember({ tenant, memberId: params.memberId });
      return { deleted: true as const };
    },
  });

  api.add(router, {
    method: "get",
    path: "/funding-shares",
    operationId: "getFundingShares",
    summary: "How the members' shares compare with the law's split",
    tag: "members",
    permission: "member.read",
    response: fundingSharesSchema,
    handler: async ({ tenant }) => {
      const members = await listMembers(tenant.tx, tenant.association.id);
      return presentCheck(
        checkFundingShares(members.map((m) => ({ type: m.type, basisPoints: m.funding_share_basis_points }))),
      );
    },
  });

  api.add(router, {
    method: "put",
    path: "/funding-shares",
    operationId: "setFundingShares",
    summary: "Set every member's share at once; refused unless they follow the law's split",
    tag: "members",
    permission: "member.write",
    body: z.object({
      shares: z.array(z.object({ memberId: z.uuid(), basisPoints: z.number().int().min(0).max(10000) })).min(1),
    }),
    response: fundingSharesSchema,
    handler: async ({ tenant, body }) => presentCheck(await setFundingShares({ tenant, shares: body.shares })),
  });
}
