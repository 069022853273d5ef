import type { Block, Cell, Column, ExportDocument, FieldRow, SignatureSlot } from "./document.js";

/**
 * The export model as semantic HTML, embedded in an ordinary page: the on-screen preview of a report, and what the
 * browser prints (public/app.css, "Exported documents"). A fragment, so the page around it owns the landmarks.
 */
export function ExportHtml({ doc }: { doc: ExportDocument }) {
  return (
    <article class="export-document" lang={doc.lang}>
      {doc.header && <p class="export-document__header">{doc.header}</p>}
      {doc.blocks.map((block) => (
        <BlockHtml block={block} />
      ))}
      {doc.footer && <p class="export-document__footer">{doc.footer}</p>}
    </article>
  );
}

function BlockHtml({ block }: { block: Block }) {
  switch (block.type) {
    case "heading":
      return <Heading level={block.level} text={block.text} />;
    case "paragraph":
      if (block.style === "strong") {
        return (
          <p>
            <strong>{block.text}</strong>
          </p>
        );
      }
      return <p class={block.style === "hint" ? "hint" : undefined}>{block.text}</p>;
    case "fields":
      return <Fields rows={block.rows} />;
    case "table":
      return (
        <TableHtml
          caption={block.caption}
          columns={block.columns}
          rows={block.rows}
          footerRows={block.footerRows ?? []}
        />
      );
    case "list":
      return block.ordered ? (
        <ol>
          {block.items.map((item) => (
            <li>{item}</li>
          ))}
        </ol>
      ) : (
        <ul>
          {block.items.map((item) => (
            <li>{item}</li>
          ))}
        </ul>
      );
    case "signatures":
      return <Signatures slots={block.slots} columns={block.columns} />;
    case "pageBreak":
      return <hr class="export-page-break" />;
  }
}

function Heading({ level, text }: { level: 1 | 2 | 3 | 4; text: string }) {
  switch (level) {
    case 1:
      return <h1>{text}</h1>;
    case 2:
      return <h2>{text}</h2>;
    case 3:
      return <h3>{text}</h3>;
    case 4:
      return <h4>{text}</h4>;
  }
}

/** A blank value is a line to write on when printed; a screen reader hears that it is empty. */
const blank = () => <span class="visually-hidden">Ej ifyllt</span>;

function Fields({ rows }: { rows: FieldRow[] }) {
  return (
    <dl class="summary-list export-fields">
      {rows.map((row) => (
        <>
          <dt>{row.label}</dt>
          <dd class={row.value ? undefined : "export-blank"}>{row.value || blank()}</dd>
        </>
      ))}
    </dl>
  );
}

function CellHtml({ cell, column }: { cell: Cell | undefined; column: Column }) {
  const text = cell?.text ?? "";
  return (
    <td class={column.align === "right" ? "numeric" : undefined}>{cell?.strong ? <strong>{text}</strong> : text}</td>
  );
}

function TableHtml(props: { caption: string | undefined; columns: Column[]; rows: Cell[][]; footerRows: Cell[][] }) {
  const row = (cells: Cell[]) => (
    <tr>
      {props.columns.map((column, index) => (
        <CellHtml cell={cells[index]} column={column} />
      ))}
    </tr>
  );
  return (
    <div class="table-wrapper">
      <table class="export-table">
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" class={column.align === "right" ? "numeric" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.rows.map(row)}</tbody>
        {props.footerRows.length > 0 && <tfoot>{props.footerRows.map(row)}</tfoot>}
      </table>
    </div>
  );
}

function Signatures({ slots, columns }: { slots: SignatureSlot[]; columns: 1 | 2 }) {
  return (
    <div class={`export-signatures export-signatures--${columns}`}>
      {slots.map((slot) => (
        <dl class="export-signature">
          {slot.lines.map((line) => (
            <div class="export-signature__line">
              <dt>{line.label}</dt>
              <dd>{line.value || blank()}</dd>
            </div>
          ))}
        </dl>
      ))}
    </div>
  );
}
