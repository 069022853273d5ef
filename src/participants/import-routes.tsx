import { gunzipSync, gzipSync } from "node:zlib";
import type { Context } from "hono";
import { z } from "zod";
import { baseOf, idParam } from "../associations/routes.js";
import { associationPage } from "../associations/tenant.js";
import { decrypt, encrypt, type Keyring, KeyringError } from "../platform/crypto/keyring.js";
import type { TenantEnv } from "../platform/http/env.js";
import { redirectWithFlash, renderPage } from "../platform/http/render.js";
import type { Routes } from "../platform/http/routes.js";
import { readTableFile, TableFileError, type UploadedFile } from "../platform/import/table-file.js";
import { enrolmentContext } from "./enrol-participant.js";
import { participantCsv, participantExport, participantXlsx } from "./export-participants.js";
import { checkImport, importParticipants } from "./import-participants.js";
import { mappingField, PreviewPage, UploadPage } from "./import-views.js";
import { autoMapping, isColumnKey, type Mapping } from "./participant-columns.js";

/**
 * Bulk import (upload → preview → import) and export of an insats's participants. Between the steps the file
 * travels in the form itself, encrypted for this user in this association, so that no identity is stored before
 * the import is accepted and none lies around if it is abandoned.
 */

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Long enough to correct a few rows in Excel; an older upload in a page left open is asked for again. */
const UPLOAD_LIFETIME_MS = 2 * 60 * 60 * 1000;

const sealedUpload = z.object({ name: z.string(), sealedAt: z.number(), data: z.string() });

const sealContext = (c: Context<TenantEnv>) => {
  const tenant = c.get("tenant");
  return `participant-import:${tenant.association.id}:${tenant.user.id}`;
};

function sealUpload(keyring: Keyring, context: string, file: UploadedFile): string {
  const plaintext = JSON.stringify({
    name: file.name,
    sealedAt: Date.now(),
    data: gzipSync(file.bytes).toString("base64"),
  });
  return encrypt(keyring, plaintext, context).toString("base64");
}

function openUpload(keyring: Keyring, context: string, sealed: string): UploadedFile {
  const again = "Välj filen igen: den uppladdade filen kunde inte läsas tillbaka.";
  let upload: z.output<typeof sealedUpload>;
  try {
    upload = sealedUpload.parse(JSON.parse(decrypt(keyring, Buffer.from(sealed, "base64"), context)));
  } catch (error) {
    if (error instanceof KeyringError || error instanceof SyntaxError || error instanceof z.ZodError) {
      throw new TableFileError(again);
    }
    throw error;
  }
  if (Date.now() - upload.sealedAt > UPLOAD_LIFETIME_MS) {
    throw new TableFileError("Det är för länge sedan filen laddades upp: välj den igen.");
  }
  return { name: upload.name, bytes: gunzipSync(Buffer.from(upload.data, "base64")) };
}

/** The mapping the user chose in the preview's selects; a value that is no column reads as "not imported". */
function chosenMapping(body: Record<string, unknown>, width: number): Mapping {
  return Array.from({ length: width }, (_, index) => {
    const value = body[mappingField(index)];
    return typeof value === "string" && isColumnKey(value) ? value : null;
  });
}

export function registerImportRoutes({ association: router }: Routes) {
  const importPath = "/interventions/:interventionId/participants/import";
  const paths = (c: Context<TenantEnv>, interventionId: string) => {
    const interventionPath = `${baseOf(c)}/interventions/${interventionId}`;
    return { interventionPath, action: `${interventionPath}/participants/import` };
  };

  associationPage(router, "GET", importPath, "participant.write", async (c) => {
    const { intervention } = await enrolmentContext(c.get("tenant"), idParam(c, "interventionId"));
    return renderPage(
      c,
      "Importera deltagare",
      <UploadPage {...paths(c, intervention.id)} csrfToken={c.get("csrfToken")} intervention={intervention} />,
    );
  });

  associationPage(router, "POST", importPath, "participant.write", async (c) => {
    const tenant = c.get("tenant");
    const { keyring } = c.get("deps");
    const context = await enrolmentContext(tenant, idParam(c, "interventionId"));
    const { intervention } = context;
    const common = { ...paths(c, intervention.id), csrfToken: c.get("csrfToken"), intervention };
    const refuse = (error: string) =>
      renderPage(c, "Importera deltagare", <UploadPage {...common} error={error} />, 422);

    const body = await c.req.parseBody();
    const chosen = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
    let file: UploadedFile;
    let table: Awaited<ReturnType<typeof readTableFile>>;
    try {
      if (chosen) file = { name: chosen.name, bytes: new Uint8Array(await chosen.arrayBuffer()) };
      else if (typeof body.upload === "string" && body.upload !== "") {
        file = openUpload(keyring, sealContext(c), body.upload);
      } else return refuse("Välj en fil att läsa in.");
      table = await readTableFile(file);
    } catch (error) {
      if (error instanceof TableFileError) return refuse(error.message);
      throw error;
    }
    // A newly chosen file gets its mapping from its headers; the same file keeps the one the user chose.
    const mapping = chosen ? autoMapping(table.headers) : chosenMapping(body, table.headers.length);
    const options = { tenant, keyring, interventionId: intervention.id, table, mapping, context };
    const result = body.step === "commit" && !chosen ? await importParticipants(options) : await checkImport(options);
    if ("imported" in result && result.imported > 0) {
      return redirectWithFlash(
        c,
        `${common.interventionPath}/participants`,
        `${result.imported} deltagare har lästs in från filen.`,
      );
    }
    const ready = result.fileErrors.length === 0 && result.rowErrors.size === 0;
    return renderPage(
      c,
      "Kontrollera importen",
      <PreviewPage
        {...common}
        upload={sealUpload(keyring, sealContext(c), file)}
        headers={table.headers}
        rows={table.rows}
        mapping={mapping}
        fileErrors={result.fileErrors}
        rowErrors={result.rowErrors}
      />,
      ready ? 200 : 422,
    );
  });

  for (const format of ["csv", "xlsx"] as const) {
    associationPage(
      router,
      "GET",
      `/interventions/:interventionId/participants.${format}`,
      "participant.identity.read",
      async (c) => {
        const tenant = c.get("tenant");
        const { intervention, table } = await participantExport(
          tenant,
          c.get("deps").keyring,
          idParam(c, "interventionId"),
        );
        const body =
          format === "csv"
            ? participantCsv(table)
            : await participantXlsx(table, `Deltagare i ${intervention.name}, ${tenant.association.name}`);
        return c.body(new Uint8Array(body), 200, {
          "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE,
          "Content-Disposition": `attachment; filename="deltagare.${format}"`,
          "Cache-Control": "no-store",
        });
      },
    );
  }
}
