// Every text core logs or throws, in one place, as small factories.

export const requestScopedSkipped = (className: string, key: string): string =>
  `${className} has methods decorated with "${key}" but is request-scoped (or depends on a ` +
  'request-scoped provider), so Keel cannot wrap them once at start-up and skips them. ' +
  'Make the class and its dependencies singleton-scoped, or move the decorated method to one.';

export const lateControllerWrap = (className: string, methodName: string, key: string): string =>
  `${className}.${methodName}() got a "${key}" layer after its HTTP routes were registered, so ` +
  'HTTP calls will not run it. Make the decorator with createKeelDecorator() and import ' +
  'KeelCoreModule into the module that declares the layer.';

export const cannotWrapMessage = (className: string, methodName: string, why: string): string =>
  `Keel cannot wrap ${className}.${methodName}(): ${
    why === 'not-a-method' ? 'it is not a method on the prototype' : 'the method is read-only'
  }. Decorate a plain, writable class method.`;

export const keyTemplateProblem = (
  className: string,
  methodName: string,
  template: string,
  problem: string,
): string =>
  `Invalid key template "${template}" on ${className}.${methodName}(): ${problem}. ` +
  'Use literal text with placeholders like {0} or {0.order.id} (argument index, then property ' +
  'path); write {{ and }} for literal braces.';

export const keyFunctionName = (fn: { name: string }): string =>
  `<key function${fn.name ? ` ${fn.name}` : ''}>`;

export const missingModules = (problems: readonly string[]): string =>
  `Keel decorators without their module:\n- ${problems.join('\n- ')}\n` +
  'Import each named module (e.g. LockModule.forRoot({ ... })) into the application, ' +
  'or remove the decorator.';

export const importedTwice = (
  moduleName: string,
  first: string,
  second: string,
  consequence: string,
): string =>
  `${moduleName} is imported twice in this application (first with ${first}, then with ` +
  `${second}): ${consequence}. Call ${moduleName}.forRoot() once, in the root module; it is ` +
  'global, so feature modules use it without importing it again.';
