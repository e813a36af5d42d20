/*
 * The C floor of a whole-machine scan (issue 24 item 5), for bench/serveWeight.mjs:
 * what the kernel alone costs, with nothing of footprint's own work. Every PID's
 * stat opened and read, its smaps_rollup opened, read and closed, its stat read
 * again and closed (the reads footprint's scan makes around the kernel's walk of
 * the page tables), shared by THREADS threads that claim the next PID from one
 * counter, as serve's two threads do. The PIDs are listed once per round (as a
 * scan lists /proc). Prints the median, lowest and highest round (ms) as JSON.
 * With MAX_RSS_KIB, a process whose stat shows more RSS has no smaps_rollup read
 * (its stat still read twice): serve's read budget reads such a process once per
 * refresh period, not at every scrape, so its floor does not either.
 *
 *   cc -O2 -pthread -o rollupFloor bench/rollupFloor.c && ./rollupFloor [ROUNDS] [THREADS] [MAX_RSS_KIB]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PIDS 65536
#define BUFFER_BYTES (64 * 1024)

static int pids[MAX_PIDS];
static long max_rss_pages = -1; /* -1: every process's smaps_rollup */
static int pid_count;
static atomic_int next_pid;

static void list_pids(void) {
  DIR *proc = opendir("/proc");
  struct dirent *entry;
  pid_count = 0;
  if (proc == NULL) return;
  while ((entry = readdir(proc)) != NULL && pid_count < MAX_PIDS) {
    char *end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end == '\0' && pid > 0) pids[pid_count++] = (int)pid;
  }
  closedir(proc);
}

/* Whether stat's RSS (field 24, pages, counted after the command's name) is over the ceiling. */
static int over_ceiling(char *stat, ssize_t length) {
  if (max_rss_pages < 0) return 0;
  stat[length] = '\0';
  char *field = strrchr(stat, ')');
  if (field == NULL) return 0;
  for (int n = 2; n < 24 && field != NULL; n++) field = strchr(field + 1, ' ');
  return field != NULL && atol(field + 1) > max_rss_pages;
}

static void read_one(int pid, char *buffer) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int stat = open(path, O_RDONLY | O_CLOEXEC);
  if (stat < 0) return; /* gone */
  ssize_t length = pread(stat, buffer, BUFFER_BYTES - 1, 0);
  if (length >= 0 && !over_ceiling(buffer, length)) {
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
    int rollup = open(path, O_RDONLY | O_CLOEXEC);
    if (rollup >= 0) {
      /* The whole file, as a scan reads it (it is one page or less). */
      while (read(rollup, buffer, BUFFER_BYTES) > 0) {}
      close(rollup);
    }
    (void)pread(stat, buffer, BUFFER_BYTES, 0);
  }
  close(stat);
}

static void *take_part(void *unused) {
  (void)unused;
  char *buffer = malloc(BUFFER_BYTES);
  if (buffer == NULL) return NULL;
  for (int index = atomic_fetch_add(&next_pid, 1); index < pid_count; index = atomic_fetch_add(&next_pid, 1)) read_one(pids[index], buffer);
  free(buffer);
  return NULL;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* One round: the listing and every process's reads, on `threads` threads (this one among them). */
static double round_ms(int threads) {
  pthread_t others[64];
  double started = now_ms();
  list_pids();
  atomic_store(&next_pid, 0);
  for (int i = 1; i < threads; i++) pthread_create(&others[i], NULL, take_part, NULL);
  take_part(NULL);
  for (int i = 1; i < threads; i++) pthread_join(others[i], NULL);
  return now_ms() - started;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 15;
  int threads = argc > 2 ? atoi(argv[2]) : 2;
  if (argc > 3) max_rss_pages = atol(argv[3]) / (sysconf(_SC_PAGESIZE) / 1024);
  if (rounds < 1 || rounds > 10000 || threads < 1 || threads > 64) {
    fprintf(stderr, "usage: rollupFloor [ROUNDS 1-10000] [THREADS 1-64]\n");
    return 2;
  }
  double *times = malloc(sizeof(double) * rounds);
  if (times == NULL) return 1;
  round_ms(threads); /* warm */
  for (int i = 0; i < rounds; i++) times[i] = round_ms(threads);
  qsort(times, rounds, sizeof(double), by_value);
  double median = rounds % 2 == 1 ? times[rounds / 2] : (times[rounds / 2 - 1] + times[rounds / 2]) / 2;
  printf("{\"processes\":%d,\"threads\":%d,\"rounds\":%d,\"medianMs\":%.3f,\"lowestMs\":%.3f,\"highestMs\":%.3f}\n",
         pid_count, threads, rounds, median, times[0], times[rounds - 1]);
  free(times);
  return 0;
}
