/**
 * The page a phone opens from a hand-off link (`/h/<code>`): the element's script-tag build and the
 * element in hand-off mode, nothing inline (the strict page CSP applies). Opening it changes nothing:
 * the element claims the code with a POST, so link previews and scanners that fetch the URL cannot
 * use the link up.
 */

/** `code` must match CODE_PATTERN or be `-` (a malformed link): neither needs escaping. */
export function handoffPage(code: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>Continue your identity verification</title>
<script type="module" src="../signicat-verify.js"></script>
</head>
<body>
<main>
<signicat-verify endpoint="../api" mode="capture" handoff="${code}"></signicat-verify>
</main>
</body>
</html>
`;
}
