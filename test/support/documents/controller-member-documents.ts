import { graphql } from '../../generated/gql.js';

/** The operations the sharded-controller tests send, typed by `npm run codegen`. */

export const ControllerMembers = graphql(`
  query ControllerMembers {
    controllerMembers {
      id
      heartbeatAgeMs
      ownedKeys
    }
  }
`);
