import { neutraliseForSpreadsheet, undoMoodleFormulaEscape } from '../../../src/ingest/formats/spreadsheet-safety';
import { findSpecialCategoryColumns, isSpecialCategoryHeader } from '../../../src/ingest/formats/special-category-columns';

describe('spreadsheet safety', () => {
  it.each([
    ["'=SUM(A1:A3)", '=SUM(A1:A3)'],
    ["'+44 20 7946 0000", '+44 20 7946 0000'],
    ["'-", '-'],
    ["'@risk", '@risk'],
    ["'quoted'", "'quoted'"],
    ["O'Neill", "O'Neill"],
    ['-', '-'],
  ])("when Moodle wrote %j, then we read %j", (cell, expected) => {
    expect(undoMoodleFormulaEscape(cell)).toBe(expected);
  });

  it('when a value would run as a formula in our own export, then it is prefixed again', () => {
    expect(['=1+1', '+1', '-1', '@x', '\tx', 'plain'].map(neutraliseForSpreadsheet)).toEqual(["'=1+1", "'+1", "'-1", "'@x", "'\tx", 'plain']);
  });
});

describe('special-category columns', () => {
  it.each(['Gender', 'Sex', 'Ethnicity', 'Ethnic origin', 'Race', 'Disability status', 'Religion or belief', 'Sexual orientation', 'Health condition', 'Nationality', 'Age', 'Date of birth', 'Gênero', 'Raça/cor'])(
    'when a header is %j, then it is special-category',
    (header) => {
      expect(isSpecialCategoryHeader(header)).toBe(true);
    },
  );

  it.each(['Page views', 'Average attendance time', 'Total Engagement', 'Email address', 'Institution', 'Message count', 'Essex campus', 'Trace id'])(
    'when a header is %j, then it is kept',
    (header) => {
      expect(isSpecialCategoryHeader(header)).toBe(false);
    },
  );

  it('when a recognised column mentions a category, then it is not dropped', () => {
    const header = ['First name', 'Religion in society: Essay (Real)', 'Gender'];

    expect(findSpecialCategoryColumns(header, new Set([0, 1]))).toEqual(['Gender']);
  });
});
