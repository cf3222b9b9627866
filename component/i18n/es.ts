/**
 * @module Spanish strings ("tú", as Spanish-language banking apps write). The side names are masculine
 * nouns without article, so the templates can write "del …" and "el …".
 */
import type { Strings } from './en.js';

export const es: Strings = {
  loading: 'Cargando…',
  introHeading: 'Verifica tu identidad',
  introLead: 'Te pediremos:',
  introDocument: 'fotos de tu documento de identidad (el anverso, y el reverso si lo tiene)',
  introSelfie: 'una foto de tu cara (un selfie)',
  introPrivacy:
    'Tus fotos se envían de forma segura a nuestro socio de verificación Signicat, solo para comprobar tu identidad. No se guarda nada en este navegador.',
  introRedirect:
    'Harás las fotos en una página segura de nuestro socio de verificación y después volverás aquí.',
  introProvider: 'Una ventana de verificación te guiará para hacer las fotos.',
  start: 'Empezar',
  documentTypeHeading: '¿Qué documento vas a usar?',
  documentTypeHint: 'Elige un documento válido con tu foto.',
  documentTypes: {
    passport: 'Pasaporte',
    identityCard: 'Documento nacional de identidad',
    driversLicense: 'Permiso de conducir',
    residencePermit: 'Permiso de residencia',
  },
  sideHeading: {
    front: 'Anverso de tu documento',
    back: 'Reverso de tu documento',
    selfie: 'Hazte un selfie',
  },
  sideHint: {
    front: 'Coloca el anverso de tu documento dentro del marco, con buena luz y sin reflejos.',
    back: 'Da la vuelta a tu documento y coloca el reverso dentro del marco.',
    selfie: 'Mira directamente a la cámara y mantén la cara dentro del óvalo.',
  },
  sideName: { front: 'anverso del documento', back: 'reverso del documento', selfie: 'selfie' },
  previewLabel: (side) => `Vista previa de la cámara para el ${side}`,
  cameraStarting: 'Iniciando la cámara…',
  shutter: 'Hacer foto',
  retake: 'Repetir',
  usePhoto: 'Usar esta foto',
  uploadInstead: 'Subir una foto en su lugar',
  useCamera: 'Usar la cámara',
  choosePhoto: 'Elegir una foto',
  pickerHint: 'Elige una foto nítida y bien iluminada (JPEG o PNG).',
  processing: 'Preparando la foto…',
  imageUnreadable: 'No se ha podido leer el archivo como foto. Elige una imagen JPEG o PNG.',
  capturedAlt: (side) => `Tu foto del ${side}`,
  reviewHeading: 'Revisa tus fotos',
  reviewHint: 'Todo el texto debe verse nítido y legible, sin reflejos ni bordes cortados.',
  retakeSide: (side) => `Repetir la foto del ${side}`,
  submit: 'Enviar para verificación',
  uploadHeading: 'Enviando tus fotos',
  uploadSide: (side) => `Enviando el ${side}`,
  uploadRetrying: (attempt, of) => `Problema de conexión. Reintentando (${attempt} de ${of})…`,
  uploadFailed:
    'No hemos podido enviar tus fotos. Comprueba tu conexión y vuelve a intentarlo; tus fotos se conservan.',
  uploadDone: 'Fotos enviadas.',
  retry: 'Reintentar',
  waitingHeading: 'Estamos comprobando tu documento',
  waitingText: 'Suele tardar menos de un minuto. Mantén esta página abierta.',
  providerHeading: 'Continúa en la ventana de verificación',
  providerText:
    'Sigue los pasos de la ventana de verificación. Esta página se actualizará cuando termines.',
  redirectingHeading: 'Abriendo la página segura para las fotos…',
  redirectingText: 'Volverás aquí cuando termines.',
  status: {
    pending: 'Esperando tus fotos.',
    processing: 'Comprobando tu documento…',
    accepted: 'Verificado.',
    rejected: 'No verificado.',
    inconclusive: 'Sin resultado claro.',
    failed: 'La comprobación ha fallado.',
    canceled: 'Cancelado.',
  },
  outcomeHeading: {
    accepted: 'Tu identidad está verificada',
    rejected: 'No hemos podido verificar tu identidad',
    inconclusive: 'No hemos obtenido un resultado claro',
    failed: 'Algo ha ido mal',
    canceled: 'Verificación cancelada',
  },
  outcomeText: {
    accepted: 'Gracias. Tu identidad se ha confirmado y ya puedes continuar.',
    rejected:
      'No se ha podido verificar tu documento. Puedes volver a intentarlo, por ejemplo con otro documento.',
    inconclusive:
      'Las fotos no eran lo bastante claras para decidir. Vuelve a intentarlo con buena luz y sin reflejos.',
    failed: 'No hemos podido completar la comprobación. Vuelve a intentarlo.',
    canceled:
      'La verificación se detuvo antes de terminar. Puedes empezar de nuevo cuando quieras.',
  },
  tryAgain: 'Volver a intentarlo',
  startOver: 'Empezar de nuevo',
  errorHeading: 'No podemos continuar',
  errors: {
    camera_denied:
      'El acceso a la cámara está bloqueado. Permítelo en los ajustes del navegador o sube una foto en su lugar.',
    camera_unavailable: 'No hay ninguna cámara disponible. Puedes subir una foto en su lugar.',
    network: 'No podemos conectar con el servidor. Comprueba tu conexión y vuelve a intentarlo.',
    session_expired: 'Esta sesión de verificación ha caducado. Empieza de nuevo.',
    upload_rejected: 'Esta foto no se ha aceptado. Vuelve a hacerla.',
    invalid_config:
      'La verificación no está bien configurada en este sitio web. Ponte en contacto con el responsable del sitio.',
    server_error:
      'El servicio de verificación tiene problemas. Vuelve a intentarlo dentro de un momento.',
    provider_failed: 'La ventana de verificación ha informado de un problema.',
    redirect_mismatch:
      'No hemos podido asociar tu regreso a ninguna verificación. Empieza de nuevo.',
    rate_limited:
      'El servicio de verificación está saturado. Vuelve a intentarlo dentro de un momento.',
  },
  sessionExpiredHost:
    'Esta sesión de verificación ha caducado. Recarga la página para empezar de nuevo.',
  continue: 'Continuar',
  countryHeading: '¿Qué país ha expedido tu documento?',
  countryLabel: 'País de expedición',
  countryHint: 'Escribe para buscar y elige en la lista.',
  countryListLabel: 'Países',
  countryShowAll: 'Mostrar todos los países',
  countryNoMatch: 'Ningún país coincide. Revisa cómo lo has escrito o escribe el nombre en inglés.',
  countryMissing: 'Elige en la lista el país que expidió tu documento.',
  countryChosen: (country) => `Expedido en ${country}.`,
  changeCountry: 'Cambiar de país',
  consentHeading: 'Tu consentimiento',
  consentText:
    'Nuestro socio de verificación usa el servicio Onfido para comprobar tu documento y tu selfie. Antes, Onfido necesita tu consentimiento.',
  consentLink: 'Aviso de privacidad de Onfido (se abre en una pestaña nueva)',
  consentLabel:
    'He leído el aviso de privacidad de Onfido y acepto que Onfido trate mis fotos para verificar mi identidad.',
  consentMissing:
    'Marca la casilla para dar tu consentimiento o sal de esta página si no estás de acuerdo.',
  busyRetrying: (seconds) => `El servicio está saturado. Reintentando en ${seconds} s…`,
  busyTryLater: (seconds) =>
    `El servicio está saturado. Vuelve a intentarlo dentro de ${seconds} s.`,
  qualityHint: {
    ok: 'Se ve bien',
    blurry: 'No te muevas',
    glare: 'Aléjate de la luz',
    dark: 'Más luz',
    bright: 'Demasiada luz: aléjate de la luz',
  },
  qualityStill: {
    blurry: 'Esta foto se ve borrosa. Vuelve a hacerla sin moverte.',
    small: 'Esta foto es demasiado pequeña para leerla. Vuelve a hacerla más de cerca.',
  },
  qualityVerdict: {
    ok: 'Se ve bien',
    blurry: 'Borrosa',
    glare: 'Reflejos',
    dark: 'Demasiado oscura',
    bright: 'Demasiado clara',
    small: 'Demasiado pequeña',
  },
  useAnyway: 'Usarla igualmente',
  stepOf: (step, of) => `Paso ${step} de ${of}`,
  back: 'Atrás',
  cancel: 'Cancelar',
  canceling: 'Cancelando la verificación…',
  photosNotKept: (side) =>
    `La página se ha recargado. Las fotos nunca se guardan en el navegador, así que continúa con el ${side}.`,
  errorHeadings: {
    camera_denied: 'Acceso a la cámara bloqueado',
    camera_unavailable: 'No se ha encontrado ninguna cámara',
    network: 'Sin conexión',
    session_expired: 'La sesión ha caducado',
    upload_rejected: 'Foto no aceptada',
    invalid_config: 'Verificación no configurada',
    server_error: 'El servicio tiene problemas',
    provider_failed: 'La ventana de verificación se ha detenido',
    redirect_mismatch: 'No hemos reconocido tu regreso',
    rate_limited: 'El servicio está saturado',
  },
  providerReason: (reason) => `Motivo indicado: ${reason}`,
  supportLink: 'Contactar con soporte',
  selfieNeedsCamera:
    'El selfie debe hacerse en directo con una cámara. Permite el acceso a la cámara en tu navegador y vuelve a intentarlo.',
  tryCameraAgain: 'Volver a probar la cámara',
  handoffOffer: 'Continuar en mi teléfono',
  handoffHeading: 'Continúa en tu teléfono',
  handoffLead:
    'Escanea este código con la cámara de tu teléfono y haz allí las fotos. Esta página mostrará el resultado.',
  handoffQrLabel: 'Código QR con el enlace para tu teléfono',
  handoffLinkLabel: 'O abre este enlace en tu teléfono:',
  handoffExpires: (time) => `El enlace funciona una sola vez, hasta ${time}.`,
  handoffCreating: 'Creando un enlace para tu teléfono…',
  handoffWaiting: 'Esperando a tu teléfono…',
  handoffConnected: 'Teléfono conectado. Haz las fotos con tu teléfono.',
  handoffCaptured: (side) => `Foto del ${side} recibida`,
  handoffExpired: 'El enlace ha caducado.',
  handoffNewLink: 'Crear un enlace nuevo',
  handoffStayHere: 'Cancelar y seguir en este ordenador',
  handoffCancelVerification: 'Cancelar la verificación',
  phoneDoneHeading: 'Ya puedes volver a tu ordenador',
  phoneDoneLead: 'Tus fotos se han enviado. Tu ordenador mostrará el resultado.',
  handoffRefusedHeading: {
    handoff_not_found: 'Este enlace no es válido',
    handoff_expired: 'Este enlace ha caducado',
    handoff_used: 'Este enlace ya se ha usado',
    handoff_canceled: 'Este enlace se ha cancelado',
  },
  handoffRefusedLead: 'Crea un enlace nuevo en tu ordenador y vuelve a escanearlo.',
};
