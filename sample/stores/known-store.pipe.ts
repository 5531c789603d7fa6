import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
import { StoresService } from './stores.service';

/** A store id the company has today; any other is a 404 before the handler runs (a closed store included). */
@Injectable()
export class KnownStorePipe implements PipeTransform<string, Promise<string>> {
  constructor(private readonly stores: StoresService) {}

  async transform(id: string): Promise<string> {
    if (!(await this.stores.ids()).includes(id)) throw new NotFoundException(`No store "${id}"`);
    return id;
  }
}
