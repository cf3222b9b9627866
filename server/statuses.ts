/** The server's view of the shared contract (component/contract): statuses, sides, document kinds. */
export {
  FINAL_STATUSES,
  STATUSES,
  isStatus,
  isFinalStatus as isFinal,
  SIDES as DEPICTIONS,
  TWO_SIDED_KINDS,
  requiredSides,
  type FinalStatus,
  type Status,
  type Side as Depiction,
} from '../component/contract/index.ts';
