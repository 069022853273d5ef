import { describe, expect, it } from "vitest";
import { Button, ErrorSummary, Field, PostForm, Select } from "./components.js";
import { Layout } from "./layout.js";

const hostile = `<script>alert("x")</script>"'&`;

const render = (node: unknown) => String(node);

describe("components escape what they are given", () => {
  it("never lets a string become markup", () => {
    const html = [
      render(
        <Field
          name={hostile}
          label={hostile}
          value={hostile}
          hint={hostile}
          errors={[{ path: hostile, message: hostile }]}
        />,
      ),
      render(
        <Select
          name="s"
          label={hostile}
          options={[{ value: hostile, label: hostile }]}
          value={hostile}
          emptyOption={hostile}
        />,
      ),
      render(<ErrorSummary errors={[{ path: hostile, message: hostile }]} />),
      render(
        <PostForm action={hostile} csrfToken={hostile} label={hostile}>
          <Button>{hostile}</Button>
        </PostForm>,
      ),
      render(
        <Layout
          title={hostile}
          frame={{
            path: hostile,
            csrfToken: hostile,
            user: { id: "1", email: hostile, name: hostile, isSuperadmin: true },
            flash: [{ kind: "error", text: hostile }],
            association: { slug: hostile, name: hostile },
            role: "admin",
          }}
        >
          {hostile}
        </Layout>,
      ),
    ].join("\n");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("form fields are accessible", () => {
  it("labels each input and ties hint and error to it", () => {
    const html = render(
      <Field
        name="email"
        label="E-postadress"
        hint="Jobbadressen"
        errors={[{ path: "email", message: "Ange en e-postadress." }]}
      />,
    );
    expect(html).toContain('<label for="field-email">');
    expect(html).toContain('aria-describedby="field-email-hint field-email-error"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('id="field-email-error"');
  });

  it("links each summary entry to its field", () => {
    const html = render(<ErrorSummary errors={[{ path: "shares.0.memberId", message: "Fel" }]} />);
    expect(html).toContain('href="#field-shares-0-memberId"');
    expect(html).toContain('role="alert"');
  });
});
