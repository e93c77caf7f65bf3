import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MariadbHealth } from './mariadb.health';

@Module({ imports: [TerminusModule], providers: [MariadbHealth], exports: [MariadbHealth] })
export class PaymentsHealthModule {}
