/** A broadcast language with its share of channels, its region's time zone and its flavour text. */
export interface SimulatedLanguage {
  /** Helix `language` value (ISO 639-1, or `other`). */
  readonly code: string;
  /** Share of the channel pool. */
  readonly share: number;
  /** Time zone of the region where most of its audience lives: drives the daily rhythm. */
  readonly timeZone: string;
  /** The language tag streamers of this language usually set. */
  readonly tag: string;
  /** Title fragments; a title joins one opener, one topic and sometimes an emoji. */
  readonly openers: readonly string[];
  readonly topics: readonly string[];
  /** Display-name stems in the language's own script, for channels that use one. */
  readonly nativeNames: readonly string[];
}

/** Languages and shares: en 40 %, es 10 %, pt 8 %, then the rest of the platform. */
export const LANGUAGES: readonly SimulatedLanguage[] = [
  {
    code: 'en',
    share: 40,
    timeZone: 'America/Chicago',
    tag: 'English',
    openers: ['LIVE', 'Chill stream', 'Road to top 500', 'Day 3 of', 'New update', 'Ranked grind', 'Late night'],
    topics: ['come hang out', 'with viewers', '!drops !discord', 'until we win', 'first playthrough', 'Q&A'],
    nativeNames: [],
  },
  {
    code: 'es',
    share: 10,
    timeZone: 'America/Mexico_City',
    tag: 'Español',
    openers: ['EN VIVO', 'Directo', 'Jugando', 'Noche de', 'Día 2 de', 'Charlando'],
    topics: ['con la comunidad', '¡vamos!', 'sorteo al final', 'reacciones', 'rankeds', 'pasión y café'],
    nativeNames: [],
  },
  {
    code: 'pt',
    share: 8,
    timeZone: 'America/Sao_Paulo',
    tag: 'Português',
    openers: ['AO VIVO', 'Bora', 'Live de hoje', 'Maratona', 'Rumo ao', 'Sextou'],
    topics: ['com os crias', 'até zerar', 'react e papo', 'ranqueada', 'sorteio de skin', 'coração ❤️'],
    nativeNames: [],
  },
  {
    code: 'ru',
    share: 7,
    timeZone: 'Europe/Moscow',
    tag: 'Русский',
    openers: ['СТРИМ', 'Вечерний', 'Играем', 'Рейтинг', 'Новый сезон'],
    topics: ['с чатом', 'до победы', 'общение', 'розыгрыш', 'без мата'],
    nativeNames: ['Волк', 'Медведь', 'Лиса'],
  },
  {
    code: 'de',
    share: 6,
    timeZone: 'Europe/Berlin',
    tag: 'Deutsch',
    openers: ['LIVE', 'Gemütlicher', 'Heute:', 'Grüße aus', 'Spieleabend'],
    topics: ['mit Chat', 'bis zum Sieg', 'Überraschung', 'Fußball & Quatschen', 'ab 18'],
    nativeNames: [],
  },
  {
    code: 'fr',
    share: 5,
    timeZone: 'Europe/Paris',
    tag: 'Français',
    openers: ['EN DIRECT', 'Soirée', 'Découverte', 'On tente', 'Détente'],
    topics: ['avec vous', 'jusqu’au top 1', 'café ☕', 'giveaway', 'à la française'],
    nativeNames: [],
  },
  {
    code: 'ja',
    share: 5,
    timeZone: 'Asia/Tokyo',
    tag: '日本語',
    openers: ['【生配信】', '初見さん歓迎', '雑談', '深夜の', 'ランクマ'],
    topics: ['まったり', 'みんなで遊ぼう', '耐久配信', 'ゲーム実況', 'よろしくお願いします🙏'],
    nativeNames: ['さくら', 'ゆうき', 'はると', 'みお'],
  },
  {
    code: 'ko',
    share: 3,
    timeZone: 'Asia/Seoul',
    tag: '한국어',
    openers: ['방송 시작', '오늘은', '랭크', '소통', '새벽'],
    topics: ['같이 해요', '합방', '도전', '시청자 참여', '즐겜'],
    nativeNames: ['하늘', '민지', '도윤'],
  },
  {
    code: 'it',
    share: 3,
    timeZone: 'Europe/Rome',
    tag: 'Italiano',
    openers: ['IN DIRETTA', 'Serata', 'Giochiamo', 'Buongiorno', 'Maratona'],
    topics: ['con la chat', 'fino alla vittoria', 'più però', 'caffè e chiacchiere', 'novità'],
    nativeNames: [],
  },
  {
    code: 'zh',
    share: 3,
    timeZone: 'Asia/Shanghai',
    tag: '中文',
    openers: ['直播中', '今晚', '排位', '聊天', '新人'],
    topics: ['一起玩', '冲分', '抽奖', '陪你', '休闲'],
    nativeNames: ['小龙', '星辰', '阿杰'],
  },
  {
    code: 'tr',
    share: 2,
    timeZone: 'Europe/Istanbul',
    tag: 'Türkçe',
    openers: ['CANLI', 'Gece', 'Sohbet', 'Dereceli', 'Yeni sezon'],
    topics: ['sizinle', 'çekiliş', 'kazanana kadar', 'güle güle', 'çay ve oyun'],
    nativeNames: [],
  },
  {
    code: 'pl',
    share: 2,
    timeZone: 'Europe/Warsaw',
    tag: 'Polski',
    openers: ['NA ŻYWO', 'Wieczorny', 'Gramy', 'Ranked', 'Zapraszam'],
    topics: ['z widzami', 'do zwycięstwa', 'żółta kartka', 'rozmowy', 'konkurs'],
    nativeNames: [],
  },
  {
    code: 'other',
    share: 6,
    timeZone: 'Asia/Kolkata',
    tag: 'Other',
    openers: ['LIVE', 'Stream', 'Namaste', 'Game night', 'Mabuhay'],
    topics: ['with friends', 'chill vibes', 'ranked', 'Q&A', 'giveaway'],
    nativeNames: [],
  },
];

/** Emoji sprinkled into titles. */
export const TITLE_EMOJI: readonly string[] = ['🔴', '🎮', '🔥', '✨', '🏆', '😂', '💜', '🎵', '🎨', '⚽', '🚀', '👀'];

/** Generic tags added beside the language tag. */
export const GENERIC_TAGS: readonly string[] = [
  'Chill',
  'Competitive',
  'Casual',
  'FPS',
  'Speedrun',
  'Funny',
  'Educational',
  'LGBTQIAPlus',
  'Vtuber',
  'NoBackseating',
  'Esports',
  'Music',
];

/** Login building blocks: joined and suffixed with a number unique per channel. */
export const LOGIN_WORDS: readonly string[] = [
  'shadow',
  'pixel',
  'lucky',
  'nova',
  'crazy',
  'dark',
  'frost',
  'ninja',
  'wolf',
  'lazy',
  'king',
  'queen',
  'toast',
  'byte',
  'storm',
  'cosmic',
  'panda',
  'gamer',
  'sniper',
  'mango',
];
