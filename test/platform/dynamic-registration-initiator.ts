import { randomAlphanumeric } from './random-id';

/** Moodle's registration tokens last an hour. */
const REGISTRATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface RegistrationTicket {
  /** Decided up front, as Moodle puts the future client id in the token's subject. */
  clientId: string;
  expiresAt: number;
}

/** Registration tokens handed to a tool's registration page; each buys one registered tool. */
export class RegistrationTickets {
  private readonly tickets = new Map<string, RegistrationTicket>();

  begin(toolRegistrationUrl: string, openidConfigurationUrl: string): { url: string; registrationToken: string } {
    const registrationToken = randomAlphanumeric(40);
    this.tickets.set(registrationToken, { clientId: randomAlphanumeric(15), expiresAt: Date.now() + REGISTRATION_TOKEN_LIFETIME_MS });
    const url = new URL(toolRegistrationUrl);
    url.searchParams.set('openid_configuration', openidConfigurationUrl);
    url.searchParams.set('registration_token', registrationToken);
    return { url: url.toString(), registrationToken };
  }

  find(registrationToken: string): RegistrationTicket | undefined {
    const ticket = this.tickets.get(registrationToken);
    return ticket && ticket.expiresAt > Date.now() ? ticket : undefined;
  }

  /** Spent only once a tool is stored, so a registration refused for a fixable reason may be retried. */
  spend(registrationToken: string): void {
    this.tickets.delete(registrationToken);
  }
}
