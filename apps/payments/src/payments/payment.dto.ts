import { IsInt, IsPositive, IsString, Matches, Max } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
// amounts are integers in minor units (cents); this bound keeps them exact in JSON and JS
const MAX_MINOR = Number.MAX_SAFE_INTEGER;

export class AuthorizePaymentDto {
  @Matches(ID, { message: 'id must be 1-64 letters, digits, _ or -' })
  id!: string;

  @IsInt()
  @IsPositive()
  @Max(MAX_MINOR)
  amountMinor!: number;

  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class CapturePaymentDto {
  @IsInt()
  @IsPositive()
  @Max(MAX_MINOR)
  amountMinor!: number;
}

/** The event on `payments.captured`; the ledger listener validates it with this class. */
export class PaymentCapturedEvent {
  @IsString()
  eventId!: string;

  @Matches(ID)
  paymentId!: string;

  @IsInt()
  @IsPositive()
  amountMinor!: number;

  @Matches(CURRENCY)
  currency!: string;

  @IsInt()
  capturedAt!: number;
}

export interface Payment {
  id: string;
  amountMinor: number;
  currency: string;
  status: 'authorized' | 'captured';
  capturedMinor: number | null;
}
