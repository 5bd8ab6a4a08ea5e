import { Dictionaries } from '../schemas/dictionaries.js';
import { route } from './route.js';

export const getDictionaries = route({
  operationId: 'getDictionaries',
  method: 'get',
  path: '/dictionaries',
  responses: { 200: Dictionaries },
  errors: {},
});
