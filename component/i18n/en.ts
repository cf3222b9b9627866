/**
 * @module
 * English strings: the default language and the source of truth for the {@link Strings} shape. Other
 * languages implement the same interface and are loaded on demand (see `./index.ts`).
 */
import type {
  DocumentKind,
  ElementErrorCode,
  FinalStatus,
  Side,
  Status,
} from '../contract/index.js';
import type { LiveHint, Verdict } from '../image/quality.js';

/** Every string the element shows. Functions take the values they interpolate. */
export interface Strings {
  loading: string;
  introHeading: string;
  introLead: string;
  introDocument: string;
  introSelfie: string;
  introPrivacy: string;
  introRedirect: string;
  introProvider: string;
  start: string;
  documentTypeHeading: string;
  documentTypeHint: string;
  documentTypes: Record<DocumentKind, string>;
  sideHeading: Record<Side, string>;
  sideHint: Record<Side, string>;
  sideName: Record<Side, string>;
  previewLabel: (side: string) => string;
  cameraStarting: string;
  shutter: string;
  retake: string;
  usePhoto: string;
  uploadInstead: string;
  useCamera: string;
  choosePhoto: string;
  pickerHint: string;
  processing: string;
  imageUnreadable: string;
  capturedAlt: (side: string) => string;
  /** The live preview's guidance (a polite live region). */
  qualityHint: Record<LiveHint, string>;
  /** An obviously blurred or tiny still: why, and to retake it (with "Use it anyway"). */
  qualityStill: Record<'blurry' | 'small', string>;
  /** Each photo's verdict on the review step. */
  qualityVerdict: Record<Verdict, string>;
  useAnyway: string;
  reviewHeading: string;
  reviewHint: string;
  retakeSide: (side: string) => string;
  submit: string;
  uploadHeading: string;
  uploadSide: (side: string) => string;
  uploadRetrying: (attempt: number, of: number) => string;
  uploadFailed: string;
  uploadDone: string;
  retry: string;
  waitingHeading: string;
  waitingText: string;
  providerHeading: string;
  providerText: string;
  redirectingHeading: string;
  redirectingText: string;
  status: Record<Status, string>;
  outcomeHeading: Record<FinalStatus, string>;
  outcomeText: Record<FinalStatus, string>;
  tryAgain: string;
  startOver: string;
  errorHeading: string;
  errors: Record<ElementErrorCode, string>;
  /** A session the integrator's backend created has expired: only the host page can make a new one. */
  sessionExpiredHost: string;
  continue: string;
  countryHeading: string;
  countryLabel: string;
  countryHint: string;
  countryListLabel: string;
  countryShowAll: string;
  countryNoMatch: string;
  countryMissing: string;
  countryChosen: (country: string) => string;
  changeCountry: string;
  consentHeading: string;
  consentText: string;
  consentLink: string;
  consentLabel: string;
  consentMissing: string;
  /** A `429`: an automatic retry waits `seconds`. */
  busyRetrying: (seconds: number) => string;
  /** A `429` the user retries by hand. */
  busyTryLater: (seconds: number) => string;
  /** The step indicator: "Step 2 of 4". */
  stepOf: (step: number, of: number) => string;
  back: string;
  cancel: string;
  /** While the proxy ends the session after Cancel (heading and announcement). */
  canceling: string;
  /** After a reload mid-capture: photos are never stored, capture goes on at `side` (a `sideName`). */
  photosNotKept: (side: string) => string;
  /** The error step's heading, naming the problem. */
  errorHeadings: Record<ElementErrorCode, string>;
  /** The provider SDK's own reason for a `provider_failed`, as the host page gave it. */
  providerReason: (reason: string) => string;
  /** The default text of the support link (`support-url`). */
  supportLink: string;
  /** The selfie step without a camera (a file is not accepted for the selfie). */
  selfieNeedsCamera: string;
  tryCameraAgain: string;
  /** Cross-device hand-off (desktop): the offer, the link and QR code, and the phone's progress. */
  handoffOffer: string;
  handoffHeading: string;
  handoffLead: string;
  handoffQrLabel: string;
  handoffLinkLabel: string;
  handoffExpires: (time: string) => string;
  handoffCreating: string;
  handoffWaiting: string;
  handoffConnected: string;
  /** A side's photo arrived from the phone (`side` is a `sideName`). */
  handoffCaptured: (side: string) => string;
  handoffExpired: string;
  handoffNewLink: string;
  /** Cancel before the phone opened the link: the desktop goes on by itself. */
  handoffStayHere: string;
  /** Cancel once the phone holds the session: the verification ends. */
  handoffCancelVerification: string;
  /** The phone's last screen. */
  phoneDoneHeading: string;
  phoneDoneLead: string;
  /** The phone could not use the link: heading by the proxy's code, then what to do. */
  handoffRefusedHeading: Record<
    'handoff_not_found' | 'handoff_expired' | 'handoff_used' | 'handoff_canceled',
    string
  >;
  handoffRefusedLead: string;
}

export const en: Strings = {
  loading: 'Loading…',
  introHeading: 'Verify your identity',
  introLead: 'We will ask you for:',
  introDocument: 'photos of your identity document (front, and back if it has one)',
  introSelfie: 'a photo of your face (a selfie)',
  introPrivacy:
    'Your photos are sent securely to our verification partner Signicat, only to check your identity. Nothing is saved in this browser.',
  introRedirect:
    'You will take the photos on a secure page from our verification partner, then come back here.',
  introProvider: 'A verification window will guide you through the photos.',
  start: 'Start',
  documentTypeHeading: 'Which document will you use?',
  documentTypeHint: 'Choose a valid document with your photo.',
  documentTypes: {
    passport: 'Passport',
    identityCard: 'National identity card',
    driversLicense: "Driver's licence",
    residencePermit: 'Residence permit',
  },
  sideHeading: {
    front: 'Front of your document',
    back: 'Back of your document',
    selfie: 'Take a selfie',
  },
  sideHint: {
    front: 'Place the front of your document inside the frame, in good light and without glare.',
    back: 'Turn your document over and place the back inside the frame.',
    selfie: 'Look straight at the camera and keep your face inside the oval.',
  },
  sideName: { front: 'front of the document', back: 'back of the document', selfie: 'selfie' },
  previewLabel: (side) => `Camera preview for the ${side}`,
  cameraStarting: 'Starting the camera…',
  shutter: 'Take photo',
  retake: 'Retake',
  usePhoto: 'Use this photo',
  uploadInstead: 'Upload a photo instead',
  useCamera: 'Use the camera',
  choosePhoto: 'Choose a photo',
  pickerHint: 'Choose a sharp, well-lit photo (JPEG or PNG).',
  processing: 'Preparing the photo…',
  imageUnreadable: 'That file could not be read as a photo. Please choose a JPEG or PNG image.',
  capturedAlt: (side) => `Your photo of the ${side}`,
  qualityHint: {
    ok: 'Looks good',
    blurry: 'Hold still',
    glare: 'Move away from the light',
    dark: 'More light',
    bright: 'Too bright: move away from the light',
  },
  qualityStill: {
    blurry: 'This photo looks blurred. Please retake it, holding still.',
    small: 'This photo is too small to read. Please retake it, closer.',
  },
  qualityVerdict: {
    ok: 'Looks good',
    blurry: 'Blurry',
    glare: 'Glare',
    dark: 'Too dark',
    bright: 'Too bright',
    small: 'Too small',
  },
  useAnyway: 'Use it anyway',
  reviewHeading: 'Check your photos',
  reviewHint: 'All text should be sharp and readable, with no glare or cut-off edges.',
  retakeSide: (side) => `Retake the ${side}`,
  submit: 'Send for verification',
  uploadHeading: 'Sending your photos',
  uploadSide: (side) => `Sending the ${side}`,
  uploadRetrying: (attempt, of) => `Connection problem. Trying again (${attempt} of ${of})…`,
  uploadFailed:
    'We could not send your photos. Check your connection and try again; your photos are kept.',
  uploadDone: 'Photos sent.',
  retry: 'Try again',
  waitingHeading: 'Checking your document',
  waitingText: 'This usually takes less than a minute. Please keep this page open.',
  providerHeading: 'Continue in the verification window',
  providerText: 'Follow the steps in the verification window. This page updates when you are done.',
  redirectingHeading: 'Opening the secure capture page…',
  redirectingText: 'You will come back here when you are done.',
  status: {
    pending: 'Waiting for your photos.',
    processing: 'Checking your document…',
    accepted: 'Verified.',
    rejected: 'Not verified.',
    inconclusive: 'No clear result.',
    failed: 'The check failed.',
    canceled: 'Canceled.',
  },
  outcomeHeading: {
    accepted: 'You are verified',
    rejected: 'We could not verify you',
    inconclusive: 'We could not get a clear result',
    failed: 'Something went wrong',
    canceled: 'Verification canceled',
  },
  outcomeText: {
    accepted: 'Thank you. Your identity has been confirmed, and you can continue.',
    rejected:
      'Your document could not be verified. You can try again, for example with another document.',
    inconclusive:
      'The photos were not clear enough to decide. Please try again in good light, without glare.',
    failed: 'The check could not be completed on our side. Please try again.',
    canceled:
      'The verification was stopped before it finished. You can start again whenever you are ready.',
  },
  tryAgain: 'Try again',
  startOver: 'Start again',
  errorHeading: 'We cannot continue',
  errors: {
    camera_denied:
      'Camera access is blocked. Allow it in your browser settings, or upload a photo instead.',
    camera_unavailable: 'No camera is available. You can upload a photo instead.',
    network: 'We cannot reach the server. Check your connection and try again.',
    session_expired: 'This verification session has expired. Please start again.',
    upload_rejected: 'This photo was not accepted. Please take it again.',
    invalid_config:
      'Verification is not set up correctly on this site. Please contact the site owner.',
    server_error: 'The verification service is having problems. Please try again in a moment.',
    provider_failed: 'The verification window reported a problem.',
    redirect_mismatch: 'We could not match your return to a verification. Please start again.',
    rate_limited: 'The verification service is busy. Please try again in a moment.',
  },
  sessionExpiredHost: 'This verification session has expired. Reload the page to start again.',
  continue: 'Continue',
  countryHeading: 'Which country issued your document?',
  countryLabel: 'Issuing country',
  countryHint: 'Type to search, then choose from the list.',
  countryListLabel: 'Countries',
  countryShowAll: 'Show all countries',
  countryNoMatch: 'No country matches. Check the spelling, or type the English name.',
  countryMissing: 'Choose the country that issued your document from the list.',
  countryChosen: (country) => `Issued in ${country}.`,
  changeCountry: 'Change country',
  consentHeading: 'Your consent',
  consentText:
    'Our verification partner uses the service Onfido to check your document and your selfie. Onfido needs your consent first.',
  consentLink: "Onfido's privacy notice (opens in a new tab)",
  consentLabel:
    "I have read Onfido's privacy notice and I agree that Onfido processes my photos to verify my identity.",
  consentMissing: 'Tick the box to give your consent, or leave this page if you do not agree.',
  busyRetrying: (seconds) => `The service is busy. Trying again in ${seconds} s…`,
  busyTryLater: (seconds) => `The service is busy. Please try again in ${seconds} s.`,
  stepOf: (step, of) => `Step ${step} of ${of}`,
  back: 'Back',
  cancel: 'Cancel',
  canceling: 'Canceling the verification…',
  photosNotKept: (side) =>
    `The page was reloaded. Photos are never kept in the browser, so please continue with the ${side}.`,
  errorHeadings: {
    camera_denied: 'Camera access is blocked',
    camera_unavailable: 'No camera found',
    network: 'No connection',
    session_expired: 'This session has expired',
    upload_rejected: 'Photo not accepted',
    invalid_config: 'Verification is not set up',
    server_error: 'The service is having problems',
    provider_failed: 'The verification window stopped',
    redirect_mismatch: 'We could not match your return',
    rate_limited: 'The service is busy',
  },
  providerReason: (reason) => `Reason given: ${reason}`,
  supportLink: 'Contact support',
  selfieNeedsCamera:
    'The selfie must be taken live with a camera. Allow camera access in your browser, then try again.',
  tryCameraAgain: 'Try the camera again',
  handoffOffer: 'Continue on my phone',
  handoffHeading: 'Continue on your phone',
  handoffLead:
    "Scan this code with your phone's camera and take the photos there. This page shows the result.",
  handoffQrLabel: 'QR code with the link for your phone',
  handoffLinkLabel: 'Or open this link on your phone:',
  handoffExpires: (time) => `The link works once, until ${time}.`,
  handoffCreating: 'Making a link for your phone…',
  handoffWaiting: 'Waiting for your phone…',
  handoffConnected: 'Phone connected. Take the photos on your phone.',
  handoffCaptured: (side) => `${side[0]!.toUpperCase()}${side.slice(1)} captured`,
  handoffExpired: 'The link has expired.',
  handoffNewLink: 'Make a new link',
  handoffStayHere: 'Cancel and stay on this computer',
  handoffCancelVerification: 'Cancel the verification',
  phoneDoneHeading: 'You can go back to your computer',
  phoneDoneLead: 'Your photos were sent. Your computer shows the result.',
  handoffRefusedHeading: {
    handoff_not_found: 'This link is not valid',
    handoff_expired: 'This link has expired',
    handoff_used: 'This link was already used',
    handoff_canceled: 'This link was canceled',
  },
  handoffRefusedLead: 'Make a new link on your computer and scan it again.',
};
