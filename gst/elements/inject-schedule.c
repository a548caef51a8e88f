/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The schedule grammar of avdefectinject (docs/avdefectinject.md):
 *
 *   schedule := entry { ';' entry }         (empty entries are skipped)
 *   entry    := KIND '@' TIME '+' TIME { ',' KEY '=' VALUE }
 *   TIME     := DIGITS [ '.' DIGITS ] UNIT   UNIT := ns | us | ms | s | min | h
 *
 * Plain functions, no element state, so the parser is unit-tested on its
 * own. Errors name the 1-based character and the token at fault. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "inject-schedule.h"

#include <string.h>
#include <math.h>
#include <errno.h>

typedef struct
{
  const gchar *name;
  InjectMedia media;
  GstAvMonitorDefectKind detected;
  /* space separated, NULL: no keys */
  const gchar *keys;
} KindInfo;

static const KindInfo kind_info[INJECT_KIND_COUNT] = {
  [INJECT_KIND_FREEZE] = {"freeze", INJECT_MEDIA_RAW_VIDEO,
      GST_AV_MONITOR_DEFECT_KIND_FREEZE, NULL},
  [INJECT_KIND_BLACK] = {"black", INJECT_MEDIA_RAW_VIDEO,
      GST_AV_MONITOR_DEFECT_KIND_BLACK, NULL},
  [INJECT_KIND_UNIFORM] = {"uniform", INJECT_MEDIA_RAW_VIDEO,
      GST_AV_MONITOR_DEFECT_KIND_UNIFORM, "color"},
  [INJECT_KIND_BLOCK_CORRUPTION] = {"block-corruption",
        INJECT_MEDIA_RAW_VIDEO, GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
      "area block"},
  [INJECT_KIND_FRAME_DROP] = {"frame-drop", INJECT_MEDIA_RAW_VIDEO,
      GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP, NULL},
  [INJECT_KIND_SILENCE] = {"silence", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_SILENCE, NULL},
  [INJECT_KIND_HISS] = {"hiss", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_SILENCE, "level"},
  [INJECT_KIND_CHANNEL_SILENCE] = {"channel-silence", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_CHANNEL_SILENCE, "channels"},
  [INJECT_KIND_CLIPPING] = {"clipping", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_CLIPPING, "gain"},
  [INJECT_KIND_DROPOUT] = {"dropout", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_DROPOUT, "length count spacing"},
  [INJECT_KIND_LOUDNESS] = {"loudness", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_LOUDNESS, "gain"},
  [INJECT_KIND_AUDIO_GAP] = {"audio-gap", INJECT_MEDIA_RAW_AUDIO,
      GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY, NULL},
  [INJECT_KIND_BITSTREAM_DAMAGE] = {"bitstream-damage", INJECT_MEDIA_ENCODED,
      GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION, "rate buffers keep"},
  [INJECT_KIND_AV_OFFSET] = {"av-offset", INJECT_MEDIA_ANY,
      GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "offset"},
  [INJECT_KIND_STALL] = {"stall", INJECT_MEDIA_ANY,
      GST_AV_MONITOR_DEFECT_KIND_STALL, NULL},
};

const gchar *
inject_kind_name (InjectKind kind)
{
  g_return_val_if_fail (kind < INJECT_KIND_COUNT, "unknown");
  return kind_info[kind].name;
}

InjectMedia
inject_kind_media (InjectKind kind)
{
  g_return_val_if_fail (kind < INJECT_KIND_COUNT, 0);
  return kind_info[kind].media;
}

GstAvMonitorDefectKind
inject_kind_detected_as (InjectKind kind)
{
  g_return_val_if_fail (kind < INJECT_KIND_COUNT,
      GST_AV_MONITOR_DEFECT_KIND_UNKNOWN);
  return kind_info[kind].detected;
}

static gboolean
kind_from_name (const gchar * name, InjectKind * kind)
{
  guint i;

  for (i = 0; i < INJECT_KIND_COUNT; i++) {
    if (g_str_equal (kind_info[i].name, name)) {
      *kind = i;
      return TRUE;
    }
  }
  return FALSE;
}

static gchar *
kind_list (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < INJECT_KIND_COUNT; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", kind_info[i].name);
  return g_string_free (s, FALSE);
}

static gboolean
kind_has_key (InjectKind kind, const gchar * key)
{
  gchar **keys;
  gboolean found;

  if (kind_info[kind].keys == NULL)
    return FALSE;
  keys = g_strsplit (kind_info[kind].keys, " ", -1);
  found = g_strv_contains ((const gchar * const *) keys, key);
  g_strfreev (keys);
  return found;
}

/**
 * inject_parse_time:
 * @text: a time such as "2.5s", "120ms", "-40ms"
 * @allow_negative: whether a leading '-' is accepted
 * @out: (out): the time in nanoseconds
 * @reason: (out) (optional): why @text was refused
 *
 * Parses a decimal number with a mandatory unit (ns, us, ms, s, min, h)
 * exactly, without going through a double, so "0.1s" is 100000000 ns.
 *
 * Returns: %TRUE on success
 */
gboolean
inject_parse_time (const gchar * text, gboolean allow_negative, gint64 * out,
    const gchar ** reason)
{
  static const struct
  {
    const gchar *unit;
    guint64 ns;
  } units[] = {
    {"ns", 1}, {"us", GST_USECOND}, {"ms", GST_MSECOND}, {"s", GST_SECOND},
    {"min", 60 * GST_SECOND}, {"h", 3600 * GST_SECOND},
  };
  const gchar *p = text;
  const gchar *dummy;
  gboolean neg = FALSE, have_digits = FALSE;
  guint64 ip = 0, fp = 0, fdiv = 1, mult = 0, total;
  guint i;

  if (reason == NULL)
    reason = &dummy;
  *reason = NULL;

  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    if (neg && !allow_negative) {
      *reason = "a negative time is not allowed here";
      return FALSE;
    }
    p++;
  }
  while (g_ascii_isdigit (*p)) {
    if (ip > (G_MAXUINT64 - 9) / 10) {
      *reason = "number too large";
      return FALSE;
    }
    ip = ip * 10 + (*p - '0');
    have_digits = TRUE;
    p++;
  }
  if (*p == '.') {
    p++;
    while (g_ascii_isdigit (*p)) {
      if (fdiv >= 1000000000) {
        *reason = "more than 9 decimals";
        return FALSE;
      }
      fp = fp * 10 + (*p - '0');
      fdiv *= 10;
      have_digits = TRUE;
      p++;
    }
  }
  if (!have_digits) {
    *reason = "expected a number followed by a unit (ns, us, ms, s, min, h)";
    return FALSE;
  }
  if (*p == '\0') {
    *reason = "missing time unit (ns, us, ms, s, min, h)";
    return FALSE;
  }
  for (i = 0; i < G_N_ELEMENTS (units); i++) {
    if (g_str_equal (p, units[i].unit)) {
      mult = units[i].ns;
      break;
    }
  }
  if (mult == 0) {
    *reason = "unknown time unit (use ns, us, ms, s, min, h)";
    return FALSE;
  }
  if (ip > (guint64) G_MAXINT64 / mult) {
    *reason = "time too large";
    return FALSE;
  }
  total = ip * mult + gst_util_uint64_scale_round (fp, mult, fdiv);
  if (total > (guint64) G_MAXINT64) {
    *reason = "time too large";
    return FALSE;
  }
  *out = neg ? -(gint64) total : (gint64) total;
  return TRUE;
}

/* "invalid schedule at character N ("token"): reason" */
static gchar *
token_error (const gchar * text, const gchar * tok, gsize len,
    const gchar * format, ...) G_GNUC_PRINTF (4, 5);

static gchar *
token_error (const gchar * text, const gchar * tok, gsize len,
    const gchar * format, ...)
{
  va_list args;
  gchar *reason, *msg;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  msg = g_strdup_printf ("invalid schedule at character %u (\"%.*s\"): %s",
      (guint) (tok - text) + 1, (int) len, tok, reason);
  g_free (reason);
  return msg;
}

static void
entry_set_defaults (InjectEntry * e)
{
  e->area = INJECT_DEFAULT_AREA;
  e->block = INJECT_DEFAULT_BLOCK;
  e->color = INJECT_DEFAULT_COLOR;
  e->channels = INJECT_DEFAULT_CHANNELS;
  e->gain_db = e->kind == INJECT_KIND_CLIPPING ? INJECT_DEFAULT_CLIP_GAIN :
      INJECT_DEFAULT_LOUD_GAIN;
  e->level_db = INJECT_DEFAULT_HISS_LEVEL;
  e->length = INJECT_DEFAULT_LENGTH;
  e->count = 0;
  e->spacing = 0;
  e->rate = INJECT_DEFAULT_RATE;
  e->buffers = INJECT_DEFAULT_BUFFERS;
  e->keep = INJECT_DEFAULT_KEEP;
  e->offset = 0;
}

static gboolean
parse_double (const gchar * s, gdouble * out)
{
  gchar *end;
  gdouble v;

  if (*s == '\0')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_uint (const gchar * s, guint64 * out)
{
  gchar *end;
  guint64 v;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (s, &end, 0);
  if (*end != '\0' || errno != 0)
    return FALSE;
  *out = v;
  return TRUE;
}

/* "0x5" is a mask; "0", "1+3" or "0:2" are channel indices */
static gboolean
parse_channels (const gchar * s, guint64 * mask)
{
  gchar **parts;
  guint i;
  guint64 v, m = 0;
  gboolean ok = TRUE;

  if (g_str_has_prefix (s, "0x") || g_str_has_prefix (s, "0X")) {
    if (!parse_uint (s, &v) || v == 0)
      return FALSE;
    *mask = v;
    return TRUE;
  }
  parts = g_strsplit_set (s, "+:|", -1);
  for (i = 0; parts[i]; i++) {
    if (!parse_uint (parts[i], &v) || v > 63) {
      ok = FALSE;
      break;
    }
    m |= G_GUINT64_CONSTANT (1) << v;
  }
  g_strfreev (parts);
  if (!ok || m == 0)
    return FALSE;
  *mask = m;
  return TRUE;
}

static gboolean
parse_color (const gchar * s, guint32 * out)
{
  guint64 v;
  gchar *end;

  if (*s == '#')
    s++;
  else if (g_str_has_prefix (s, "0x") || g_str_has_prefix (s, "0X"))
    s += 2;
  if (strlen (s) != 6)
    return FALSE;
  v = g_ascii_strtoull (s, &end, 16);
  if (*end != '\0')
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

/* One key=value of an entry. @tok/@len point into the schedule string. */
static gboolean
parse_key (const gchar * text, const gchar * tok, gsize len, InjectEntry * e,
    gboolean * have_count, gboolean * have_spacing, gboolean * have_offset,
    gchar ** error)
{
  gchar *field = g_strndup (tok, len);
  gchar *eq = strchr (field, '=');
  const gchar *key, *val, *reason = NULL;
  gint64 t;
  guint64 u;
  gdouble d;
  gboolean ok = FALSE;

  if (eq == NULL) {
    *error = token_error (text, tok, len, "expected KEY=VALUE");
    goto done;
  }
  *eq = '\0';
  key = g_strstrip (field);
  val = g_strstrip (eq + 1);

  if (!kind_has_key (e->kind, key)) {
    const gchar *keys = kind_info[e->kind].keys;

    *error = token_error (text, tok, len, "unknown key \"%s\" for %s (%s%s)",
        key, kind_info[e->kind].name, keys ? "keys: " : "it takes no keys",
        keys ? keys : "");
    goto done;
  }

  if (g_str_equal (key, "area")) {
    if (!parse_double (val, &d) || d <= 0.0 || d > 1.0) {
      reason = "area is a share of the picture, > 0 and <= 1 (0.05 = 5%)";
      goto bad;
    }
    e->area = d;
  } else if (g_str_equal (key, "block")) {
    if (!parse_uint (val, &u) || (u != 8 && u != 16)) {
      reason = "block is 8 or 16 (pixels)";
      goto bad;
    }
    e->block = (guint) u;
  } else if (g_str_equal (key, "color")) {
    if (!parse_color (val, &e->color)) {
      reason = "color is 0xRRGGBB or #RRGGBB";
      goto bad;
    }
  } else if (g_str_equal (key, "channels")) {
    if (!parse_channels (val, &e->channels)) {
      reason = "channels is a mask (0x5) or 0-based indices (0, 1+3), < 64";
      goto bad;
    }
  } else if (g_str_equal (key, "gain")) {
    gchar *v = g_strdup (val);
    gsize n = strlen (v);

    /* accept "12dB" as well as "12" */
    if (n > 2 && g_ascii_strcasecmp (v + n - 2, "db") == 0)
      v[n - 2] = '\0';
    ok = parse_double (v, &d) && fabs (d) <= 120.0;
    g_free (v);
    if (!ok || (e->kind == INJECT_KIND_CLIPPING && d <= 0.0) || d == 0.0) {
      ok = FALSE;
      reason = e->kind == INJECT_KIND_CLIPPING ?
          "gain is in dB, > 0 and <= 120 (e.g. gain=20)" :
          "gain is in dB, non-zero, within +-120 (e.g. gain=12 or gain=-20)";
      goto bad;
    }
    ok = FALSE;
    e->gain_db = d;
  } else if (g_str_equal (key, "level")) {
    gchar *v = g_strdup (val);
    gsize n = strlen (v);

    if (n > 4 && g_ascii_strcasecmp (v + n - 4, "dbfs") == 0)
      v[n - 4] = '\0';
    ok = parse_double (v, &d) && d < 0.0 && d >= -150.0;
    g_free (v);
    if (!ok) {
      reason = "level is the noise RMS in dBFS, < 0 and >= -150";
      goto bad;
    }
    ok = FALSE;
    e->level_db = d;
  } else if (g_str_equal (key, "length")) {
    if (!inject_parse_time (val, FALSE, &t, &reason))
      goto bad;
    if (t <= 0) {
      reason = "length must be > 0";
      goto bad;
    }
    e->length = t;
  } else if (g_str_equal (key, "count")) {
    if (!parse_uint (val, &u) || u < 1 || u > 100000) {
      reason = "count is a number of runs, 1 to 100000";
      goto bad;
    }
    e->count = (guint) u;
    *have_count = TRUE;
  } else if (g_str_equal (key, "spacing")) {
    if (!inject_parse_time (val, FALSE, &t, &reason))
      goto bad;
    if (t <= 0) {
      reason = "spacing must be > 0";
      goto bad;
    }
    e->spacing = t;
    *have_spacing = TRUE;
  } else if (g_str_equal (key, "rate")) {
    if (!parse_double (val, &d) || d <= 0.0 || d > 1.0) {
      reason = "rate is the share of bytes damaged, > 0 and <= 1";
      goto bad;
    }
    e->rate = d;
  } else if (g_str_equal (key, "buffers")) {
    if (!parse_double (val, &d) || d <= 0.0 || d > 1.0) {
      reason = "buffers is the share of buffers damaged, > 0 and <= 1";
      goto bad;
    }
    e->buffers = d;
  } else if (g_str_equal (key, "keep")) {
    if (!parse_uint (val, &u) || u > 65536) {
      reason = "keep is a number of bytes, 0 to 65536";
      goto bad;
    }
    e->keep = (guint) u;
  } else if (g_str_equal (key, "offset")) {
    if (!inject_parse_time (val, TRUE, &t, &reason))
      goto bad;
    if (t == 0) {
      reason = "offset must not be 0";
      goto bad;
    }
    e->offset = t;
    *have_offset = TRUE;
  }
  ok = TRUE;
  goto done;

bad:
  *error = token_error (text, tok, len, "%s", reason);
done:
  g_free (field);
  return ok;
}

/* trims [*s, *e) of ASCII white space */
static void
trim (const gchar ** s, const gchar ** e)
{
  while (*s < *e && g_ascii_isspace (**s))
    (*s)++;
  while (*e > *s && g_ascii_isspace ((*e)[-1]))
    (*e)--;
}

static gboolean
parse_entry (const gchar * text, const gchar * s, const gchar * e,
    InjectEntry * entry, gchar ** error)
{
  const gchar *field_end, *at, *plus, *reason = NULL;
  gchar *name = NULL, *tstr = NULL;
  gint64 t;
  gboolean have_count = FALSE, have_spacing = FALSE, have_offset = FALSE;
  gboolean ok = FALSE;

  memset (entry, 0, sizeof (*entry));
  entry->position = (guint) (s - text);

  field_end = memchr (s, ',', e - s);
  if (field_end == NULL)
    field_end = e;
  {
    const gchar *fs = s, *fe = field_end;

    trim (&fs, &fe);
    at = memchr (fs, '@', fe - fs);
    if (at == NULL) {
      *error = token_error (text, fs, fe - fs,
          "expected KIND@START+DURATION (e.g. freeze@5s+3s)");
      goto done;
    }
    name = g_strndup (fs, at - fs);
    g_strstrip (name);
    if (!kind_from_name (name, &entry->kind)) {
      gchar *list = kind_list ();

      *error = token_error (text, fs, at - fs, "unknown kind (kinds: %s)",
          list);
      g_free (list);
      goto done;
    }
    entry_set_defaults (entry);

    plus = memchr (at + 1, '+', fe - at - 1);
    if (plus == NULL) {
      *error = token_error (text, fs, fe - fs,
          "expected KIND@START+DURATION, the '+DURATION' is missing");
      goto done;
    }
    tstr = g_strndup (at + 1, plus - at - 1);
    g_strstrip (tstr);
    if (!inject_parse_time (tstr, FALSE, &t, &reason)) {
      *error = token_error (text, at + 1, plus - at - 1, "bad START: %s",
          reason);
      goto done;
    }
    entry->start = t;
    g_free (tstr);
    tstr = g_strndup (plus + 1, fe - plus - 1);
    g_strstrip (tstr);
    if (!inject_parse_time (tstr, FALSE, &t, &reason)) {
      *error = token_error (text, plus + 1, fe - plus - 1,
          "bad DURATION: %s", reason);
      goto done;
    }
    entry->duration = t;
    if (entry->duration == 0 && entry->kind != INJECT_KIND_AV_OFFSET) {
      *error = token_error (text, plus + 1, fe - plus - 1,
          "DURATION must be > 0 (only av-offset takes 0 = until the end)");
      goto done;
    }
  }

  while (field_end < e) {
    const gchar *fs = field_end + 1, *fe;

    field_end = memchr (fs, ',', e - fs);
    if (field_end == NULL)
      field_end = e;
    fe = field_end;
    trim (&fs, &fe);
    if (fs == fe)
      continue;
    if (!parse_key (text, fs, fe - fs, entry, &have_count, &have_spacing,
            &have_offset, error))
      goto done;
  }

  switch (entry->kind) {
    case INJECT_KIND_AV_OFFSET:
      if (!have_offset) {
        *error = token_error (text, s, e - s,
            "av-offset needs offset=TIME (BT.1359 sign: positive = audio "
            "leads, e.g. offset=-120ms)");
        goto done;
      }
      break;
    case INJECT_KIND_DROPOUT:
      if (entry->length > entry->duration) {
        *error = token_error (text, s, e - s,
            "the dropout length is longer than the window");
        goto done;
      }
      if (!have_count && !have_spacing)
        entry->count = 1;
      else if (!have_count)
        entry->count = (entry->duration - entry->length) / entry->spacing + 1;
      else if (!have_spacing)
        entry->spacing = entry->count > 1 ?
            (entry->duration - entry->length) / (entry->count - 1) : 0;
      if (entry->count > 1 && entry->spacing <= entry->length) {
        *error = token_error (text, s, e - s,
            "dropout runs overlap: spacing must be longer than length");
        goto done;
      }
      if ((entry->count - 1) * entry->spacing + entry->length >
          entry->duration) {
        *error = token_error (text, s, e - s,
            "%u dropout runs do not fit in the window", entry->count);
        goto done;
      }
      break;
    default:
      break;
  }
  ok = TRUE;

done:
  g_free (name);
  g_free (tstr);
  return ok;
}

static gboolean
entries_overlap (const InjectEntry * a, const InjectEntry * b)
{
  GstClockTime a_end = a->duration ? a->start + a->duration :
      GST_CLOCK_TIME_NONE;
  GstClockTime b_end = b->duration ? b->start + b->duration :
      GST_CLOCK_TIME_NONE;

  return a->start < b_end && b->start < a_end;
}

/**
 * inject_schedule_parse:
 * @text: (nullable): the schedule
 * @error: (out): on failure, a message naming the character and token
 *
 * Returns: (transfer full) (nullable): an array of #InjectEntry in schedule
 *   order (empty for a %NULL or blank @text), or %NULL on error
 */
GArray *
inject_schedule_parse (const gchar * text, gchar ** error)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (InjectEntry));
  const gchar *p = text;
  guint i, j;

  g_return_val_if_fail (error != NULL, NULL);
  *error = NULL;

  while (p && *p) {
    const gchar *end = strchr (p, ';');
    const gchar *s = p, *e;
    InjectEntry entry;

    if (end == NULL)
      end = p + strlen (p);
    e = end;
    trim (&s, &e);
    if (s < e) {
      if (!parse_entry (text, s, e, &entry, error)) {
        g_array_unref (entries);
        return NULL;
      }
      g_array_append_val (entries, entry);
    }
    p = *end ? end + 1 : end;
  }

  /* Two windows of one kind at once would write two overlapping truth spans
   * for one defect: refuse them rather than guess. */
  for (i = 0; i < entries->len; i++) {
    const InjectEntry *b = &g_array_index (entries, InjectEntry, i);

    for (j = 0; j < i; j++) {
      const InjectEntry *a = &g_array_index (entries, InjectEntry, j);

      if (a->kind == b->kind && entries_overlap (a, b)) {
        const gchar *tok = text + b->position;
        const gchar *tend = strchr (tok, ';');

        *error = token_error (text, tok, tend ? (gsize) (tend - tok) :
            strlen (tok), "overlaps the %s entry at character %u",
            kind_info[a->kind].name, a->position + 1);
        g_array_unref (entries);
        return NULL;
      }
    }
  }
  return entries;
}
