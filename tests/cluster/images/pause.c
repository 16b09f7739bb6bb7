// The cluster's sandbox ("pause") container: holds the pod's namespaces and does nothing
// else. It reaps orphaned children (it is PID 1 when the pod shares its PID namespace) and
// exits on SIGINT/SIGTERM, as Kubernetes' own pause does. Built static by images.sh.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void Stop(int sig) { _exit(128 + sig); }

static void Reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction stop = {.sa_handler = Stop};
  struct sigaction reap = {.sa_handler = Reap, .sa_flags = SA_NOCLDSTOP};
  if (sigaction(SIGINT, &stop, NULL) != 0 || sigaction(SIGTERM, &stop, NULL) != 0 ||
      sigaction(SIGCHLD, &reap, NULL) != 0) {
    return 1;
  }
  for (;;) pause();
}
