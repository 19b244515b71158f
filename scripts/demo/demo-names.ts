// Invented names for demo learners: a mix like a UK university cohort. Any likeness to a real person is chance.

const GIVEN_NAMES = [
  'Amira', 'Loc', 'Chau', 'Jordan', 'Sam', 'Robin', 'Olivia', 'Mohammed', 'Isla', 'Noah', 'Priya', 'Wei', 'Aisha', 'Jack',
  'Sofia', 'Kwame', 'Emily', 'Ravi', 'Grace', 'Tomasz', 'Hannah', 'Yusuf', 'Chloe', 'Daniel', 'Fatima', 'Liam', 'Mei',
  'Oluwaseun', 'Ella', 'Arjun', 'Zara', 'Callum', 'Ana', 'Kofi', 'Freya', 'Hamza', 'Lucy', 'Mateo', 'Nia', 'Ethan',
  'Leila', 'Oscar', 'Saoirse', 'Adam', 'Yasmin', 'Harvey', 'Ines', 'Dev', 'Maya', 'Rhys', 'Nadia', 'Finn', 'Zainab',
  'George', 'Alina', 'Kieran', 'Sana', 'Theo', 'Bella', 'Imran', 'Ruby', 'Jonas', 'Anya', 'Ibrahim', 'Poppy', 'Luca',
  'Esme', 'Tariq', 'Megan', 'Kai',
];

const FAMILY_NAMES = [
  'Haddad', 'Nguyen', 'Bui', 'Price', 'Osei', 'Kaur', 'Smith', 'Khan', 'Campbell', 'Jones', 'Patel', 'Zhang', 'Begum',
  'Murphy', 'Rossi', 'Mensah', 'Taylor', 'Sharma', 'Evans', 'Kowalski', 'Williams', 'Ahmed', 'Brown', 'Okafor', 'Ali',
  'Wilson', 'Chen', 'Adeyemi', 'Thomas', 'Singh', 'Hussain', 'Roberts', 'Silva', 'Boateng', 'Walker', 'Iqbal', 'Wright',
  'Garcia', 'Davies', 'Hughes', 'Rahman', 'Green', 'Byrne', 'Clarke', 'Malik', 'Hall', 'Fernandes', 'Gupta', 'Lewis',
  'Morgan', 'Novak', 'Kelly', 'Bello', 'Harris', 'Ivanova', 'Doyle', 'Mirza', 'Turner', 'Cooper', 'Sheikh', 'King',
  'Schmidt', 'Popescu', 'Yilmaz', 'Ward', 'Farah', 'Reid', 'Costa', 'Moore', 'Lim',
];

export interface PersonName {
  givenName: string;
  familyName: string;
}

/** A distinct name for each index below 4,900; beyond that names repeat with a number, as big cohorts have. */
export function learnerName(index: number): PersonName {
  const given = GIVEN_NAMES[index % GIVEN_NAMES.length]!;
  // Stepping the family name with a stride coprime to the list spreads pairs, so neighbours do not share a surname.
  const round = Math.floor(index / GIVEN_NAMES.length);
  const family = FAMILY_NAMES[(index * 7 + round) % FAMILY_NAMES.length]!;
  const repeat = Math.floor(index / (GIVEN_NAMES.length * FAMILY_NAMES.length));
  return { givenName: given, familyName: repeat === 0 ? family : `${family}-${repeat + 1}` };
}
