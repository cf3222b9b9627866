/**
 * @module German strings (formal „Sie“). The side names carry no article and stand where German needs no
 * case change (after a colon, or as a subject), so one form serves every template.
 */
import type { Strings } from './en.js';

export const de: Strings = {
  loading: 'Wird geladen …',
  introHeading: 'Identität bestätigen',
  introLead: 'Wir benötigen von Ihnen:',
  introDocument: 'Fotos Ihres Ausweisdokuments (Vorderseite und, falls vorhanden, Rückseite)',
  introSelfie: 'ein Foto Ihres Gesichts (ein Selfie)',
  introPrivacy:
    'Ihre Fotos werden sicher an unseren Verifizierungspartner Signicat übermittelt und nur zur Prüfung Ihrer Identität verwendet. In diesem Browser wird nichts gespeichert.',
  introRedirect:
    'Sie nehmen die Fotos auf einer sicheren Seite unseres Verifizierungspartners auf und kehren danach hierher zurück.',
  introProvider: 'Ein Verifizierungsfenster führt Sie durch die Aufnahmen.',
  start: 'Starten',
  documentTypeHeading: 'Welches Dokument möchten Sie verwenden?',
  documentTypeHint: 'Wählen Sie ein gültiges Dokument mit Ihrem Foto.',
  documentTypes: {
    passport: 'Reisepass',
    identityCard: 'Personalausweis',
    driversLicense: 'Führerschein',
    residencePermit: 'Aufenthaltstitel',
  },
  sideHeading: {
    front: 'Vorderseite Ihres Dokuments',
    back: 'Rückseite Ihres Dokuments',
    selfie: 'Selfie aufnehmen',
  },
  sideHint: {
    front:
      'Legen Sie die Vorderseite Ihres Dokuments in den Rahmen, bei guter Beleuchtung und ohne Spiegelungen.',
    back: 'Drehen Sie Ihr Dokument um und legen Sie die Rückseite in den Rahmen.',
    selfie: 'Schauen Sie direkt in die Kamera und halten Sie Ihr Gesicht im Oval.',
  },
  sideName: {
    front: 'Vorderseite des Dokuments',
    back: 'Rückseite des Dokuments',
    selfie: 'Selfie',
  },
  previewLabel: (side) => `Kameravorschau: ${side}`,
  cameraStarting: 'Kamera wird gestartet …',
  shutter: 'Foto aufnehmen',
  retake: 'Neu aufnehmen',
  usePhoto: 'Dieses Foto verwenden',
  uploadInstead: 'Stattdessen ein Foto hochladen',
  useCamera: 'Kamera verwenden',
  choosePhoto: 'Foto auswählen',
  pickerHint: 'Wählen Sie ein scharfes, gut ausgeleuchtetes Foto (JPEG oder PNG).',
  processing: 'Foto wird vorbereitet …',
  imageUnreadable:
    'Diese Datei konnte nicht als Foto gelesen werden. Bitte wählen Sie ein JPEG- oder PNG-Bild.',
  capturedAlt: (side) => `Ihr Foto: ${side}`,
  reviewHeading: 'Fotos prüfen',
  reviewHint:
    'Alle Texte sollten scharf und lesbar sein, ohne Spiegelungen oder abgeschnittene Ränder.',
  retakeSide: (side) => `${side} neu aufnehmen`,
  submit: 'Zur Prüfung senden',
  uploadHeading: 'Ihre Fotos werden gesendet',
  uploadSide: (side) => `${side} wird gesendet`,
  uploadRetrying: (attempt, of) => `Verbindungsproblem. Neuer Versuch (${attempt} von ${of}) …`,
  uploadFailed:
    'Ihre Fotos konnten nicht gesendet werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut; Ihre Fotos bleiben erhalten.',
  uploadDone: 'Fotos gesendet.',
  retry: 'Erneut versuchen',
  waitingHeading: 'Ihr Dokument wird geprüft',
  waitingText: 'Das dauert meist weniger als eine Minute. Bitte lassen Sie diese Seite geöffnet.',
  providerHeading: 'Im Verifizierungsfenster fortfahren',
  providerText:
    'Folgen Sie den Schritten im Verifizierungsfenster. Diese Seite wird aktualisiert, sobald Sie fertig sind.',
  redirectingHeading: 'Die sichere Aufnahmeseite wird geöffnet …',
  redirectingText: 'Danach kehren Sie hierher zurück.',
  status: {
    pending: 'Warten auf Ihre Fotos.',
    processing: 'Ihr Dokument wird geprüft …',
    accepted: 'Bestätigt.',
    rejected: 'Nicht bestätigt.',
    inconclusive: 'Kein eindeutiges Ergebnis.',
    failed: 'Die Prüfung ist fehlgeschlagen.',
    canceled: 'Abgebrochen.',
  },
  outcomeHeading: {
    accepted: 'Ihre Identität ist bestätigt',
    rejected: 'Wir konnten Ihre Identität nicht bestätigen',
    inconclusive: 'Kein eindeutiges Ergebnis',
    failed: 'Etwas ist schiefgelaufen',
    canceled: 'Verifizierung abgebrochen',
  },
  outcomeText: {
    accepted: 'Vielen Dank. Ihre Identität wurde bestätigt, Sie können fortfahren.',
    rejected:
      'Ihr Dokument konnte nicht bestätigt werden. Sie können es erneut versuchen, zum Beispiel mit einem anderen Dokument.',
    inconclusive:
      'Die Fotos waren für eine Entscheidung nicht deutlich genug. Bitte versuchen Sie es erneut, bei gutem Licht und ohne Spiegelungen.',
    failed:
      'Die Prüfung konnte auf unserer Seite nicht abgeschlossen werden. Bitte versuchen Sie es erneut.',
    canceled:
      'Die Verifizierung wurde vor ihrem Abschluss beendet. Sie können jederzeit neu beginnen.',
  },
  tryAgain: 'Erneut versuchen',
  startOver: 'Neu beginnen',
  errorHeading: 'Es kann nicht fortgefahren werden',
  errors: {
    camera_denied:
      'Der Kamerazugriff ist blockiert. Erlauben Sie ihn in den Browsereinstellungen oder laden Sie stattdessen ein Foto hoch.',
    camera_unavailable: 'Es ist keine Kamera verfügbar. Sie können stattdessen ein Foto hochladen.',
    network:
      'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    session_expired: 'Diese Verifizierungssitzung ist abgelaufen. Bitte beginnen Sie neu.',
    upload_rejected: 'Dieses Foto wurde nicht akzeptiert. Bitte nehmen Sie es neu auf.',
    invalid_config:
      'Die Verifizierung ist auf dieser Website nicht richtig eingerichtet. Bitte wenden Sie sich an den Betreiber der Website.',
    server_error:
      'Der Verifizierungsdienst hat Probleme. Bitte versuchen Sie es in einem Moment erneut.',
    provider_failed: 'Das Verifizierungsfenster hat ein Problem gemeldet.',
    redirect_mismatch:
      'Ihre Rückkehr konnte keiner Verifizierung zugeordnet werden. Bitte beginnen Sie neu.',
    rate_limited:
      'Der Verifizierungsdienst ist ausgelastet. Bitte versuchen Sie es in einem Moment erneut.',
  },
  sessionExpiredHost:
    'Diese Verifizierungssitzung ist abgelaufen. Laden Sie die Seite neu, um neu zu beginnen.',
  continue: 'Weiter',
  countryHeading: 'Welches Land hat Ihr Dokument ausgestellt?',
  countryLabel: 'Ausstellungsland',
  countryHint: 'Tippen Sie zum Suchen und wählen Sie dann aus der Liste.',
  countryListLabel: 'Länder',
  countryShowAll: 'Alle Länder anzeigen',
  countryNoMatch:
    'Kein Land gefunden. Prüfen Sie die Schreibweise oder geben Sie den englischen Namen ein.',
  countryMissing: 'Wählen Sie das Land, das Ihr Dokument ausgestellt hat, aus der Liste.',
  countryChosen: (country) => `Ausgestellt in: ${country}.`,
  changeCountry: 'Land ändern',
  consentHeading: 'Ihre Einwilligung',
  consentText:
    'Unser Verifizierungspartner nutzt den Dienst Onfido, um Ihr Dokument und Ihr Selfie zu prüfen. Onfido benötigt zuerst Ihre Einwilligung.',
  consentLink: 'Datenschutzhinweise von Onfido (öffnet in einem neuen Tab)',
  consentLabel:
    'Ich habe die Datenschutzhinweise von Onfido gelesen und willige ein, dass Onfido meine Fotos zur Bestätigung meiner Identität verarbeitet.',
  consentMissing:
    'Setzen Sie das Häkchen, um Ihre Einwilligung zu geben, oder verlassen Sie diese Seite, wenn Sie nicht einverstanden sind.',
  busyRetrying: (seconds) => `Der Dienst ist ausgelastet. Neuer Versuch in ${seconds} s …`,
  busyTryLater: (seconds) =>
    `Der Dienst ist ausgelastet. Bitte versuchen Sie es in ${seconds} s erneut.`,
  qualityHint: {
    ok: 'Sieht gut aus',
    blurry: 'Bitte still halten',
    glare: 'Weiter weg vom Licht',
    dark: 'Mehr Licht',
    bright: 'Zu hell: weiter weg vom Licht',
  },
  qualityStill: {
    blurry: 'Dieses Foto ist unscharf. Bitte nehmen Sie es neu auf und halten Sie dabei still.',
    small:
      'Dieses Foto ist zu klein zum Lesen. Bitte nehmen Sie es aus geringerem Abstand neu auf.',
  },
  qualityVerdict: {
    ok: 'Sieht gut aus',
    blurry: 'Unscharf',
    glare: 'Spiegelungen',
    dark: 'Zu dunkel',
    bright: 'Zu hell',
    small: 'Zu klein',
  },
  useAnyway: 'Trotzdem verwenden',
  stepOf: (step, of) => `Schritt ${step} von ${of}`,
  back: 'Zurück',
  cancel: 'Abbrechen',
  canceling: 'Verifizierung wird abgebrochen …',
  photosNotKept: (side) =>
    `Die Seite wurde neu geladen. Fotos werden nie im Browser gespeichert; bitte machen Sie hier weiter: ${side}.`,
  errorHeadings: {
    camera_denied: 'Kamerazugriff blockiert',
    camera_unavailable: 'Keine Kamera gefunden',
    network: 'Keine Verbindung',
    session_expired: 'Sitzung abgelaufen',
    upload_rejected: 'Foto nicht akzeptiert',
    invalid_config: 'Verifizierung nicht eingerichtet',
    server_error: 'Der Dienst hat Probleme',
    provider_failed: 'Verifizierungsfenster beendet',
    redirect_mismatch: 'Rückkehr nicht zuzuordnen',
    rate_limited: 'Der Dienst ist ausgelastet',
  },
  providerReason: (reason) => `Angegebener Grund: ${reason}`,
  supportLink: 'Support kontaktieren',
  selfieNeedsCamera:
    'Das Selfie muss live mit einer Kamera aufgenommen werden. Erlauben Sie den Kamerazugriff in Ihrem Browser und versuchen Sie es erneut.',
  tryCameraAgain: 'Kamera erneut versuchen',
  handoffOffer: 'Auf dem Smartphone fortfahren',
  handoffHeading: 'Auf Ihrem Smartphone fortfahren',
  handoffLead:
    'Scannen Sie diesen Code mit der Kamera Ihres Smartphones und nehmen Sie die Fotos dort auf. Diese Seite zeigt das Ergebnis.',
  handoffQrLabel: 'QR-Code mit dem Link für Ihr Smartphone',
  handoffLinkLabel: 'Oder öffnen Sie diesen Link auf Ihrem Smartphone:',
  handoffExpires: (time) => `Der Link funktioniert einmal, bis ${time}.`,
  handoffCreating: 'Link für Ihr Smartphone wird erstellt …',
  handoffWaiting: 'Warten auf Ihr Smartphone …',
  handoffConnected: 'Smartphone verbunden. Nehmen Sie die Fotos auf Ihrem Smartphone auf.',
  handoffCaptured: (side) => `Foto erhalten: ${side}`,
  handoffExpired: 'Der Link ist abgelaufen.',
  handoffNewLink: 'Neuen Link erstellen',
  handoffStayHere: 'Abbrechen und auf diesem Computer bleiben',
  handoffCancelVerification: 'Verifizierung abbrechen',
  phoneDoneHeading: 'Sie können zu Ihrem Computer zurückkehren',
  phoneDoneLead: 'Ihre Fotos wurden gesendet. Ihr Computer zeigt das Ergebnis.',
  handoffRefusedHeading: {
    handoff_not_found: 'Dieser Link ist ungültig',
    handoff_expired: 'Dieser Link ist abgelaufen',
    handoff_used: 'Dieser Link wurde bereits verwendet',
    handoff_canceled: 'Dieser Link wurde widerrufen',
  },
  handoffRefusedLead:
    'Erstellen Sie auf Ihrem Computer einen neuen Link und scannen Sie ihn erneut.',
};
