import { normaliseHeader } from './csv-record-reader';

// Dropped: UK GDPR Article 9 special categories, plus the other Equality Act 2010 protected characteristics
// (age, marital status, pregnancy, gender reassignment) and nationality/birthplace as close proxies for ethnic
// origin. None of them is engagement, and an export that carries them must not put them in our store.
const SPECIAL_CATEGORY_TERMS: readonly RegExp[] = [
  /\bgender\b/, /\bsex\b/, /\bsexual(ity)?\b/, /\borientation\b/, /\btrans(gender)?\b/, /\bpronouns?\b/,
  /\bethnic(ity)?\b/, /\brace\b/, /\bracial\b/, /\bnationality\b/, /\bcountry of birth\b/, /\bplace of birth\b/,
  /\bdisab(led|ility|ilities)\b/, /\bimpairment\b/, /\bhealth\b/, /\bmedical\b/, /\bsupport needs?\b/,
  /\breligio(n|us)\b/, /\bbelief\b/, /\bfaith\b/, /\bpolitic(al|s)\b/, /\btrade union\b/,
  /\bgenetic\b/, /\bbiometric\b/, /\bage\b/, /\bdate of birth\b/, /\bdob\b/, /\bbirth ?date\b/,
  /\bmarital\b/, /\bcivil partnership\b/, /\bpregnan(t|cy)\b/, /\bmaternity\b/,
  // pt_BR, since Moodle exports are translated
  /\bg[eê]nero\b/, /\bsexo\b/, /\betnia\b/, /\bra[cç]a\b/, /\bdefici[eê]ncia\b/, /\breligi[aã]o\b/, /\bidade\b/,
  /\bnacionalidade\b/, /\bsa[uú]de\b/,
];

export function isSpecialCategoryHeader(header: string): boolean {
  const name = normaliseHeader(header);
  return SPECIAL_CATEGORY_TERMS.some((term) => term.test(name));
}

/**
 * Among the columns a parser does not recognise, those carrying special-category data.
 * Known columns are excluded first, so a gradebook item such as "Religion and Society: Essay (Real)" is kept.
 */
export function findSpecialCategoryColumns(header: string[], recognised: ReadonlySet<number>): string[] {
  return header.filter((name, index) => !recognised.has(index) && isSpecialCategoryHeader(name));
}

/** Unrecognised columns that are not special-category: worth a note, never stored. */
export function findUnusedColumns(header: string[], recognised: ReadonlySet<number>): string[] {
  return header.filter((name, index) => !recognised.has(index) && name.trim() !== '' && !isSpecialCategoryHeader(name));
}
