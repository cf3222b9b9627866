/**
 * The page a phone opens from a hand-off link (`/h/<code>`): the element's script-tag build and the
 * element in hand-off mode, nothing inline (the strict page CSP applies). Opening it changes nothing:
 * the element claims the code with a POST, so link previews and scanners that fetch the URL cannot
 * use the link up.
 */

/** A BCP 47 tag as browsers send it (`nb-NO`, `zh-Hant-TW`): nothing that needs escaping. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * The page's `lang` from the phone's `Accept-Language` (its first choice), so the element speaks the
 * phone's language rather than a fixed English; `en` when the header is absent or not a plain tag.
 */
export function pageLanguage(acceptLanguage: string | undefined): string {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return LANGUAGE_TAG.test(first) ? first : 'en';
}

/** `code` must match CODE_PATTERN or be `-` (a malformed link), `lang` come from pageLanguage: neither needs escaping. */
export function handoffPage(code: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
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
