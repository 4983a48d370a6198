/* REST API of field service: written by the API work in progress. */
export {}
