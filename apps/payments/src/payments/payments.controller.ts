import {
  ArgumentsHost,
  Body,
  Catch,
  ConflictException,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  UseFilters,
  ValidationPipe,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { LockNotAcquiredError } from '@keel/lock';
import { AuthorizePaymentDto, CapturePaymentDto, type Payment } from './payment.dto';
import { PaymentNotFoundError, PaymentStateError } from './payments.errors';
import { PaymentsService } from './payments.service';

const body = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** Domain errors as HTTP answers; anything else goes to Nest's default handling. */
@Catch(PaymentNotFoundError, PaymentStateError, LockNotAcquiredError)
export class PaymentErrorsFilter extends BaseExceptionFilter implements ExceptionFilter {
  override catch(err: Error, host: ArgumentsHost): void {
    super.catch(toHttp(err), host);
  }
}

function toHttp(err: Error): HttpException {
  if (err instanceof PaymentNotFoundError) return new NotFoundException(err.message);
  if (err instanceof LockNotAcquiredError) {
    return new ConflictException('the payment is busy with another request; try again');
  }
  return new ConflictException(err.message);
}

@Controller('payments')
@UseFilters(PaymentErrorsFilter)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  authorize(@Body(body) dto: AuthorizePaymentDto): Promise<Payment> {
    return this.payments.authorize(dto);
  }

  @Post(':id/capture')
  @HttpCode(200)
  capture(@Param('id') id: string, @Body(body) dto: CapturePaymentDto): Promise<Payment> {
    return this.payments.capture(id, dto.amountMinor);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Payment> {
    return this.payments.find(id);
  }
}
