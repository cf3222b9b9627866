/**
 * @module Arabic strings (Modern Standard Arabic, right to left). Instructions use the polite "يُرجى" and
 * buttons a verbal noun, which addresses no gender. The side names are definite nouns that the templates
 * place after a verbal noun or a colon, so no preposition has to merge with their article. Seconds follow
 * Arabic's six plural forms (Intl.PluralRules).
 */
import type { Strings } from './en.js';

/** "n seconds" with the right plural form: ثانية واحدة، ثانيتين، 3 ثوانٍ، 11 ثانية … */
function seconds(n: number): string {
  switch (new Intl.PluralRules('ar').select(n)) {
    case 'one':
      return 'ثانية واحدة';
    case 'two':
      return 'ثانيتين';
    case 'few':
      return `${n} ثوانٍ`;
    default:
      return `${n} ثانية`;
  }
}

export const ar: Strings & { dir: 'rtl' } = {
  dir: 'rtl',
  loading: 'جارٍ التحميل…',
  introHeading: 'تحقق من هويتك',
  introLead: 'سنطلب منك:',
  introDocument: 'صورًا لمستند هويتك (الوجه الأمامي، والخلفي إن وُجد)',
  introSelfie: 'صورة لوجهك (صورة ذاتية)',
  introPrivacy:
    'تُرسَل صورك بأمان إلى شريكنا في التحقق Signicat، للتحقق من هويتك فقط. لا يُحفَظ أي شيء في هذا المتصفح.',
  introRedirect: 'ستلتقط الصور في صفحة آمنة لدى شريكنا في التحقق، ثم تعود إلى هنا.',
  introProvider: 'سترشدك نافذة التحقق خلال التقاط الصور.',
  start: 'بدء',
  documentTypeHeading: 'ما المستند الذي ستستخدمه؟',
  documentTypeHint: 'اختر مستندًا ساري المفعول يحمل صورتك.',
  documentTypes: {
    passport: 'جواز السفر',
    identityCard: 'بطاقة الهوية الوطنية',
    driversLicense: 'رخصة القيادة',
    residencePermit: 'تصريح الإقامة',
  },
  sideHeading: {
    front: 'الوجه الأمامي لمستندك',
    back: 'الوجه الخلفي لمستندك',
    selfie: 'التقط صورة ذاتية',
  },
  sideHint: {
    front: 'يُرجى وضع الوجه الأمامي للمستند داخل الإطار، في إضاءة جيدة ودون انعكاسات.',
    back: 'يُرجى قلب المستند ووضع وجهه الخلفي داخل الإطار.',
    selfie: 'يُرجى النظر مباشرة إلى الكاميرا وإبقاء وجهك داخل الشكل البيضاوي.',
  },
  sideName: {
    front: 'الوجه الأمامي للمستند',
    back: 'الوجه الخلفي للمستند',
    selfie: 'الصورة الذاتية',
  },
  previewLabel: (side) => `معاينة الكاميرا: ${side}`,
  cameraStarting: 'جارٍ تشغيل الكاميرا…',
  shutter: 'التقاط الصورة',
  retake: 'إعادة الالتقاط',
  usePhoto: 'استخدام هذه الصورة',
  uploadInstead: 'تحميل صورة بدلًا من ذلك',
  useCamera: 'استخدام الكاميرا',
  choosePhoto: 'اختيار صورة',
  pickerHint: 'اختر صورة واضحة وجيدة الإضاءة (JPEG أو PNG).',
  processing: 'جارٍ تجهيز الصورة…',
  imageUnreadable: 'تعذّرت قراءة هذا الملف كصورة. يُرجى اختيار صورة بتنسيق JPEG أو PNG.',
  capturedAlt: (side) => `صورتك: ${side}`,
  qualityHint: {
    ok: 'تبدو جيدة',
    blurry: 'يُرجى الثبات',
    glare: 'ابتعد عن مصدر الضوء',
    dark: 'مزيد من الضوء',
    bright: 'الإضاءة قوية جدًا: ابتعد عن مصدر الضوء',
  },
  qualityStill: {
    blurry: 'تبدو هذه الصورة غير واضحة. يُرجى التقاطها مجددًا مع الثبات.',
    small: 'هذه الصورة أصغر من أن تُقرأ. يُرجى التقاطها مجددًا من مسافة أقرب.',
  },
  qualityVerdict: {
    ok: 'تبدو جيدة',
    blurry: 'غير واضحة',
    glare: 'انعكاسات',
    dark: 'داكنة جدًا',
    bright: 'ساطعة جدًا',
    small: 'صغيرة جدًا',
  },
  useAnyway: 'استخدامها على أي حال',
  reviewHeading: 'راجع صورك',
  reviewHint: 'يجب أن يكون النص كله واضحًا ومقروءًا، دون انعكاسات أو حواف مقطوعة.',
  retakeSide: (side) => `إعادة التقاط ${side}`,
  submit: 'الإرسال للتحقق',
  uploadHeading: 'جارٍ إرسال صورك',
  uploadSide: (side) => `جارٍ إرسال ${side}`,
  uploadRetrying: (attempt, of) => `مشكلة في الاتصال. جارٍ إعادة المحاولة (${attempt} من ${of})…`,
  uploadFailed: 'تعذّر إرسال صورك. تحقق من اتصالك وأعد المحاولة؛ صورك محفوظة.',
  uploadDone: 'تم إرسال الصور.',
  retry: 'إعادة المحاولة',
  waitingHeading: 'جارٍ التحقق من مستندك',
  waitingText: 'يستغرق ذلك عادةً أقل من دقيقة. يُرجى إبقاء هذه الصفحة مفتوحة.',
  providerHeading: 'تابع في نافذة التحقق',
  providerText: 'اتبع الخطوات في نافذة التحقق. ستُحدَّث هذه الصفحة عند الانتهاء.',
  redirectingHeading: 'جارٍ فتح صفحة التصوير الآمنة…',
  redirectingText: 'ستعود إلى هنا عند الانتهاء.',
  status: {
    pending: 'في انتظار صورك.',
    processing: 'جارٍ التحقق من مستندك…',
    accepted: 'تم التحقق.',
    rejected: 'لم يتم التحقق.',
    inconclusive: 'لا توجد نتيجة واضحة.',
    failed: 'فشل التحقق.',
    canceled: 'أُلغي.',
  },
  outcomeHeading: {
    accepted: 'تم التحقق من هويتك',
    rejected: 'تعذّر التحقق من هويتك',
    inconclusive: 'لم نحصل على نتيجة واضحة',
    failed: 'حدث خطأ ما',
    canceled: 'أُلغي التحقق',
  },
  outcomeText: {
    accepted: 'شكرًا لك. تم تأكيد هويتك، ويمكنك المتابعة.',
    rejected: 'تعذّر التحقق من مستندك. يمكنك المحاولة مجددًا، بمستند آخر مثلًا.',
    inconclusive:
      'لم تكن الصور واضحة بما يكفي لاتخاذ قرار. يُرجى المحاولة مجددًا في إضاءة جيدة ودون انعكاسات.',
    failed: 'تعذّر إكمال التحقق من جهتنا. يُرجى المحاولة مجددًا.',
    canceled: 'توقف التحقق قبل اكتماله. يمكنك البدء من جديد متى شئت.',
  },
  tryAgain: 'المحاولة مجددًا',
  startOver: 'البدء من جديد',
  errorHeading: 'لا يمكننا المتابعة',
  errors: {
    camera_denied:
      'الوصول إلى الكاميرا محظور. اسمح به في إعدادات المتصفح، أو حمّل صورة بدلًا من ذلك.',
    camera_unavailable: 'لا تتوفر كاميرا. يمكنك تحميل صورة بدلًا من ذلك.',
    network: 'تعذّر الوصول إلى الخادم. تحقق من اتصالك وأعد المحاولة.',
    session_expired: 'انتهت صلاحية جلسة التحقق هذه. يُرجى البدء من جديد.',
    upload_rejected: 'لم تُقبَل هذه الصورة. يُرجى التقاطها مجددًا.',
    invalid_config: 'لم يُضبَط التحقق بشكل صحيح على هذا الموقع. يُرجى التواصل مع مالك الموقع.',
    server_error: 'تواجه خدمة التحقق مشكلات. يُرجى المحاولة مجددًا بعد قليل.',
    provider_failed: 'أبلغت نافذة التحقق عن مشكلة.',
    redirect_mismatch: 'تعذّر ربط عودتك بعملية تحقق. يُرجى البدء من جديد.',
    rate_limited: 'خدمة التحقق مشغولة. يُرجى المحاولة مجددًا بعد قليل.',
  },
  sessionExpiredHost: 'انتهت صلاحية جلسة التحقق هذه. أعد تحميل الصفحة للبدء من جديد.',
  continue: 'متابعة',
  countryHeading: 'ما الدولة التي أصدرت مستندك؟',
  countryLabel: 'دولة الإصدار',
  countryHint: 'اكتب للبحث، ثم اختر من القائمة.',
  countryListLabel: 'الدول',
  countryShowAll: 'عرض كل الدول',
  countryNoMatch: 'لا توجد دولة مطابقة. تحقق من الإملاء، أو اكتب الاسم بالإنجليزية.',
  countryMissing: 'اختر من القائمة الدولة التي أصدرت مستندك.',
  countryChosen: (country) => `دولة الإصدار: ${country}.`,
  changeCountry: 'تغيير الدولة',
  consentHeading: 'موافقتك',
  consentText:
    'يستخدم شريكنا في التحقق خدمة Onfido للتحقق من مستندك وصورتك الذاتية. تحتاج Onfido إلى موافقتك أولًا.',
  consentLink: 'إشعار الخصوصية من Onfido (يُفتح في علامة تبويب جديدة)',
  consentLabel: 'قرأت إشعار الخصوصية من Onfido، وأوافق على أن تعالج Onfido صوري للتحقق من هويتي.',
  consentMissing: 'حدّد المربع لتقديم موافقتك، أو غادر هذه الصفحة إن لم توافق.',
  busyRetrying: (n) => `الخدمة مشغولة. ستُعاد المحاولة خلال ${seconds(n)}…`,
  busyTryLater: (n) => `الخدمة مشغولة. يُرجى المحاولة مجددًا بعد ${seconds(n)}.`,
  stepOf: (step, of) => `الخطوة ${step} من ${of}`,
  back: 'رجوع',
  cancel: 'إلغاء',
  canceling: 'جارٍ إلغاء التحقق…',
  photosNotKept: (side) =>
    `أُعيد تحميل الصفحة. لا تُحفَظ الصور في المتصفح أبدًا، لذا يُرجى متابعة التقاط ${side}.`,
  errorHeadings: {
    camera_denied: 'الوصول إلى الكاميرا محظور',
    camera_unavailable: 'لم يُعثَر على كاميرا',
    network: 'لا يوجد اتصال',
    session_expired: 'انتهت صلاحية الجلسة',
    upload_rejected: 'لم تُقبَل الصورة',
    invalid_config: 'التحقق غير مُعَدّ',
    server_error: 'تواجه الخدمة مشكلات',
    provider_failed: 'توقفت نافذة التحقق',
    redirect_mismatch: 'تعذّر ربط عودتك',
    rate_limited: 'الخدمة مشغولة',
  },
  providerReason: (reason) => `السبب المذكور: ${reason}`,
  supportLink: 'التواصل مع الدعم',
  selfieNeedsCamera:
    'يجب التقاط الصورة الذاتية مباشرةً بالكاميرا. اسمح بالوصول إلى الكاميرا في متصفحك، ثم أعد المحاولة.',
  tryCameraAgain: 'تجربة الكاميرا مجددًا',
  handoffOffer: 'المتابعة على هاتفي',
  handoffHeading: 'تابع على هاتفك',
  handoffLead: 'امسح هذا الرمز بكاميرا هاتفك والتقط الصور هناك. ستعرض هذه الصفحة النتيجة.',
  handoffQrLabel: 'رمز QR يحمل الرابط لهاتفك',
  handoffLinkLabel: 'أو افتح هذا الرابط على هاتفك:',
  handoffExpires: (time) => `يعمل الرابط مرة واحدة، حتى ${time}.`,
  handoffCreating: 'جارٍ إنشاء رابط لهاتفك…',
  handoffWaiting: 'في انتظار هاتفك…',
  handoffConnected: 'تم توصيل الهاتف. التقط الصور على هاتفك.',
  handoffCaptured: (side) => `تم استلام ${side}`,
  handoffExpired: 'انتهت صلاحية الرابط.',
  handoffNewLink: 'إنشاء رابط جديد',
  handoffStayHere: 'الإلغاء والبقاء على هذا الحاسوب',
  handoffCancelVerification: 'إلغاء التحقق',
  phoneDoneHeading: 'يمكنك العودة إلى حاسوبك',
  phoneDoneLead: 'أُرسلت صورك. سيعرض حاسوبك النتيجة.',
  handoffRefusedHeading: {
    handoff_not_found: 'هذا الرابط غير صالح',
    handoff_expired: 'انتهت صلاحية هذا الرابط',
    handoff_used: 'استُخدم هذا الرابط من قبل',
    handoff_canceled: 'أُلغي هذا الرابط',
  },
  handoffRefusedLead: 'أنشئ رابطًا جديدًا على حاسوبك وامسحه مجددًا.',
};
