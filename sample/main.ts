import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  // Resolves once every combination is computed (startup: 'blocking', the default)
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  Logger.log(`Listening on http://127.0.0.1:${port}/sales-report?subregion=EMEA&store_id=101`, 'Sample');
}

void bootstrap();
