/**
 * @module French strings ("vous"). The side names are masculine nouns without article, so the templates
 * can write "du …" and "le …". Narrow no-break spaces before "?", "!" and ";", a no-break space before ":"
 * and between a number and its unit, as French typography wants.
 */
import type { Strings } from './en.js';

export const fr: Strings = {
  loading: 'Chargement…',
  introHeading: 'Vérifiez votre identité',
  introLead: 'Nous allons vous demander :',
  introDocument: "des photos de votre pièce d'identité (le recto, et le verso s'il y en a un)",
  introSelfie: 'une photo de votre visage (un selfie)',
  introPrivacy:
    "Vos photos sont transmises de manière sécurisée à notre partenaire de vérification Signicat, uniquement pour vérifier votre identité. Rien n'est enregistré dans ce navigateur.",
  introRedirect:
    'Vous prendrez les photos sur une page sécurisée de notre partenaire de vérification, puis vous reviendrez ici.',
  introProvider: 'Une fenêtre de vérification vous guidera pour les photos.',
  start: 'Commencer',
  documentTypeHeading: 'Quel document allez-vous utiliser ?',
  documentTypeHint: 'Choisissez un document en cours de validité avec votre photo.',
  documentTypes: {
    passport: 'Passeport',
    identityCard: "Carte nationale d'identité",
    driversLicense: 'Permis de conduire',
    residencePermit: 'Titre de séjour',
  },
  sideHeading: {
    front: 'Recto de votre document',
    back: 'Verso de votre document',
    selfie: 'Prenez un selfie',
  },
  sideHint: {
    front: 'Placez le recto de votre document dans le cadre, avec un bon éclairage et sans reflet.',
    back: 'Retournez votre document et placez le verso dans le cadre.',
    selfie: "Regardez droit vers l'objectif et gardez votre visage dans l'ovale.",
  },
  sideName: { front: 'recto du document', back: 'verso du document', selfie: 'selfie' },
  previewLabel: (side) => `Aperçu de la caméra pour le ${side}`,
  cameraStarting: 'Démarrage de la caméra…',
  shutter: 'Prendre la photo',
  retake: 'Reprendre',
  usePhoto: 'Utiliser cette photo',
  uploadInstead: 'Importer plutôt une photo',
  useCamera: 'Utiliser la caméra',
  choosePhoto: 'Choisir une photo',
  pickerHint: 'Choisissez une photo nette et bien éclairée (JPEG ou PNG).',
  processing: 'Préparation de la photo…',
  imageUnreadable:
    "Ce fichier n'a pas pu être lu comme une photo. Veuillez choisir une image JPEG ou PNG.",
  capturedAlt: (side) => `Votre photo du ${side}`,
  reviewHeading: 'Vérifiez vos photos',
  reviewHint: 'Tout le texte doit être net et lisible, sans reflet ni bord coupé.',
  retakeSide: (side) => `Reprendre la photo du ${side}`,
  submit: 'Envoyer pour vérification',
  uploadHeading: 'Envoi de vos photos',
  uploadSide: (side) => `Envoi du ${side}`,
  uploadRetrying: (attempt, of) => `Problème de connexion. Nouvel essai (${attempt} sur ${of})…`,
  uploadFailed:
    "Nous n'avons pas pu envoyer vos photos. Vérifiez votre connexion et réessayez ; vos photos sont conservées.",
  uploadDone: 'Photos envoyées.',
  retry: 'Réessayer',
  waitingHeading: 'Vérification de votre document',
  waitingText: "Cela prend généralement moins d'une minute. Veuillez garder cette page ouverte.",
  providerHeading: 'Continuez dans la fenêtre de vérification',
  providerText:
    'Suivez les étapes dans la fenêtre de vérification. Cette page se mettra à jour une fois que vous aurez terminé.',
  redirectingHeading: 'Ouverture de la page de prise de vue sécurisée…',
  redirectingText: 'Vous reviendrez ici une fois terminé.',
  status: {
    pending: 'En attente de vos photos.',
    processing: 'Vérification de votre document…',
    accepted: 'Vérifié.',
    rejected: 'Non vérifié.',
    inconclusive: 'Aucun résultat clair.',
    failed: 'La vérification a échoué.',
    canceled: 'Annulé.',
  },
  outcomeHeading: {
    accepted: 'Votre identité est vérifiée',
    rejected: "Nous n'avons pas pu vérifier votre identité",
    inconclusive: "Nous n'avons pas obtenu de résultat clair",
    failed: 'Un problème est survenu',
    canceled: 'Vérification annulée',
  },
  outcomeText: {
    accepted: 'Merci. Votre identité a été confirmée, vous pouvez continuer.',
    rejected:
      "Votre document n'a pas pu être vérifié. Vous pouvez réessayer, par exemple avec un autre document.",
    inconclusive:
      "Les photos n'étaient pas assez nettes pour conclure. Veuillez réessayer avec un bon éclairage, sans reflet.",
    failed: "La vérification n'a pas pu aboutir de notre côté. Veuillez réessayer.",
    canceled:
      'La vérification a été interrompue avant la fin. Vous pouvez recommencer quand vous le souhaitez.',
  },
  tryAgain: 'Réessayer',
  startOver: 'Recommencer',
  errorHeading: 'Impossible de continuer',
  errors: {
    camera_denied:
      "L'accès à la caméra est bloqué. Autorisez-le dans les réglages de votre navigateur, ou importez plutôt une photo.",
    camera_unavailable:
      "Aucune caméra n'est disponible. Vous pouvez importer une photo à la place.",
    network: 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
    session_expired: 'Cette session de vérification a expiré. Veuillez recommencer.',
    upload_rejected: "Cette photo n'a pas été acceptée. Veuillez la reprendre.",
    invalid_config:
      "La vérification n'est pas correctement configurée sur ce site. Veuillez contacter le propriétaire du site.",
    server_error:
      'Le service de vérification rencontre des difficultés. Veuillez réessayer dans un instant.',
    provider_failed: 'La fenêtre de vérification a signalé un problème.',
    redirect_mismatch:
      "Nous n'avons pas pu associer votre retour à une vérification. Veuillez recommencer.",
    rate_limited: 'Le service de vérification est saturé. Veuillez réessayer dans un instant.',
  },
  sessionExpiredHost: 'Cette session de vérification a expiré. Rechargez la page pour recommencer.',
  continue: 'Continuer',
  countryHeading: 'Quel pays a délivré votre document ?',
  countryLabel: 'Pays de délivrance',
  countryHint: 'Tapez pour rechercher, puis choisissez dans la liste.',
  countryListLabel: 'Pays',
  countryShowAll: 'Afficher tous les pays',
  countryNoMatch: "Aucun pays ne correspond. Vérifiez l'orthographe, ou tapez le nom en anglais.",
  countryMissing: 'Choisissez dans la liste le pays qui a délivré votre document.',
  countryChosen: (country) => `Délivré par : ${country}.`,
  changeCountry: 'Changer de pays',
  consentHeading: 'Votre consentement',
  consentText:
    "Notre partenaire de vérification utilise le service Onfido pour vérifier votre document et votre selfie. Onfido a d'abord besoin de votre consentement.",
  consentLink: "Politique de confidentialité d'Onfido (s'ouvre dans un nouvel onglet)",
  consentLabel:
    "J'ai lu la politique de confidentialité d'Onfido et j'accepte qu'Onfido traite mes photos pour vérifier mon identité.",
  consentMissing:
    "Cochez la case pour donner votre consentement, ou quittez cette page si vous n'êtes pas d'accord.",
  busyRetrying: (seconds) => `Le service est saturé. Nouvel essai dans ${seconds} s…`,
  busyTryLater: (seconds) => `Le service est saturé. Veuillez réessayer dans ${seconds} s.`,
  qualityHint: {
    ok: 'Parfait',
    blurry: 'Ne bougez plus',
    glare: 'Éloignez-vous de la lumière',
    dark: 'Plus de lumière',
    bright: 'Trop lumineux : éloignez-vous de la lumière',
  },
  qualityStill: {
    blurry: 'Cette photo semble floue. Reprenez-la sans bouger.',
    small: 'Cette photo est trop petite pour être lue. Reprenez-la de plus près.',
  },
  qualityVerdict: {
    ok: 'Correcte',
    blurry: 'Floue',
    glare: 'Reflets',
    dark: 'Trop sombre',
    bright: 'Trop lumineuse',
    small: 'Trop petite',
  },
  useAnyway: 'Utiliser quand même',
  stepOf: (step, of) => `Étape ${step} sur ${of}`,
  back: 'Retour',
  cancel: 'Annuler',
  canceling: 'Annulation de la vérification…',
  photosNotKept: (side) =>
    `La page a été rechargée. Les photos ne sont jamais conservées dans le navigateur : veuillez continuer avec le ${side}.`,
  errorHeadings: {
    camera_denied: 'Accès à la caméra bloqué',
    camera_unavailable: 'Aucune caméra trouvée',
    network: 'Pas de connexion',
    session_expired: 'Session expirée',
    upload_rejected: 'Photo refusée',
    invalid_config: 'Vérification non configurée',
    server_error: 'Le service rencontre des difficultés',
    provider_failed: "La fenêtre de vérification s'est arrêtée",
    redirect_mismatch: 'Retour non reconnu',
    rate_limited: 'Service saturé',
  },
  providerReason: (reason) => `Motif indiqué : ${reason}`,
  supportLink: "Contacter l'assistance",
  selfieNeedsCamera:
    "Le selfie doit être pris en direct avec une caméra. Autorisez l'accès à la caméra dans votre navigateur, puis réessayez.",
  tryCameraAgain: 'Réessayer avec la caméra',
  handoffOffer: 'Continuer sur mon téléphone',
  handoffHeading: 'Continuez sur votre téléphone',
  handoffLead:
    "Scannez ce code avec l'appareil photo de votre téléphone et prenez les photos avec celui-ci. Cette page affichera le résultat.",
  handoffQrLabel: 'QR code contenant le lien pour votre téléphone',
  handoffLinkLabel: 'Ou ouvrez ce lien sur votre téléphone :',
  handoffExpires: (time) => `Le lien ne fonctionne qu'une fois, jusqu'à ${time}.`,
  handoffCreating: "Création d'un lien pour votre téléphone…",
  handoffWaiting: 'En attente de votre téléphone…',
  handoffConnected: 'Téléphone connecté. Prenez les photos avec votre téléphone.',
  handoffCaptured: (side) => `Photo du ${side} reçue`,
  handoffExpired: 'Le lien a expiré.',
  handoffNewLink: 'Créer un nouveau lien',
  handoffStayHere: 'Annuler et rester sur cet ordinateur',
  handoffCancelVerification: 'Annuler la vérification',
  phoneDoneHeading: 'Vous pouvez revenir sur votre ordinateur',
  phoneDoneLead: 'Vos photos ont été envoyées. Votre ordinateur affiche le résultat.',
  handoffRefusedHeading: {
    handoff_not_found: "Ce lien n'est pas valide",
    handoff_expired: 'Ce lien a expiré',
    handoff_used: 'Ce lien a déjà été utilisé',
    handoff_canceled: 'Ce lien a été annulé',
  },
  handoffRefusedLead: 'Créez un nouveau lien sur votre ordinateur et scannez-le à nouveau.',
};
